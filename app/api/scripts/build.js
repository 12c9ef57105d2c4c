/* global console */
// Bundles src/server.ts and src/migrate.ts into build/{server,migrate}.js with esbuild: one
// file per command and no node_modules at runtime, so the image copies only build/ and
// migrations/. Also used by the tests to run the real commands as child processes.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

/** Builds both entry points into `outdir` (default app/api/build). */
async function buildApi({ outdir = path.join(root, 'build') } = {}) {
  esbuild.buildSync({
    entryPoints: { server: path.join(root, 'src/server.ts'), migrate: path.join(root, 'src/migrate.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Whitespace and comments out, syntax shortened, names kept (stacks and profiles still name
    // every function). The bundle's source stays in the heap as one string: 3.0 MB of two-byte
    // text (comments in node_modules hold non-ASCII characters), 5.9 MB, became 2.2 MB of
    // one-byte text; idle RSS -4 MB (app/api/README.md, Benchmark).
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    // The map is read only when a stack is logged (src/stack-map.ts) and needs the mappings
    // alone, not the sources' text.
    sourcesContent: false,
    // Optional native bindings that pg and node-pg-migrate probe for but we never use.
    external: ['pg-native'],
    logLevel: 'warning',
    legalComments: 'none',
  });
  return outdir;
}

module.exports = { buildApi };

// `node scripts/build.js [outdir]`
if (require.main === module) {
  buildApi(process.argv[2] ? { outdir: path.resolve(process.argv[2]) } : {}).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
