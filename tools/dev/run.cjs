#!/usr/bin/env node
/* global console */
// Runs one of the TypeScript scripts of tools/dev (`node tools/dev/run.cjs stack`): esbuild
// bundles it to .build/dev/<name>.js in a few milliseconds (dependencies stay external, read
// from node_modules), then it runs in this process. No TypeScript runner needed.
const path = require('node:path');
const esbuild = require('esbuild');

const name = process.argv[2];
if (!name || !/^[a-z-]+$/.test(name)) {
  console.error('usage: node tools/dev/run.cjs <stack|seed|screenshots> [args...]');
  process.exit(2);
}
const outfile = path.resolve(__dirname, '..', '..', '.build', 'dev', `${name}.js`);
esbuild.buildSync({
  entryPoints: [path.join(__dirname, `${name}.ts`)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'inline',
  logLevel: 'warning',
});
process.argv.splice(2, 1);
require(outfile);
