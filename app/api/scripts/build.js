/* global console */
// Bundles src/server.ts and src/migrate.ts into build/{server,migrate}.js with esbuild: one
// file per command and no node_modules at runtime, so the image copies only build/ and
// migrations/. Also used by the tests to run the real commands as child processes.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

/** Builds both entry points into `outdir` (default app/api/build). */
async function buildApi({ outdir = path.join(root, 'build'), minify = false } = {}) {
  esbuild.buildSync({
    entryPoints: { server: path.join(root, 'src/server.ts'), migrate: path.join(root, 'src/migrate.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify,
    sourcemap: 'linked',
    // Maps without the sources' text: `--enable-source-maps` only needs the mappings to name
    // src/*.ts lines in stacks, and the text made the parsed map cost ~17 MB more RSS.
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
