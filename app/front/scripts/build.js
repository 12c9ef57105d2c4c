/* global console */
// Bundles src/server.ts into build/server.js with esbuild: one file, no node_modules at
// runtime (preact 11 is ESM-only; the bundle turns it into plain CommonJS), so the image
// copies only build/ and public/. The dev stack and the end-to-end tests use it too.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');

/** Builds the server into `outdir` (default app/front/build). */
async function buildFront({ outdir = path.join(root, 'build'), minify = false } = {}) {
  await esbuild.build({
    entryPoints: { server: path.join(root, 'src/server.ts') },
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    logLevel: 'warning',
    legalComments: 'none',
  });
  return outdir;
}

module.exports = { buildFront };

if (require.main === module) {
  buildFront().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
