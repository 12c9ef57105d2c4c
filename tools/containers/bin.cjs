#!/usr/bin/env node
// Runs src/main.ts (the container smoke test and kube-play checks) from an esbuild bundle in
// .build/: starts in well under a second without ts-node. images.sh is the entry point.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const outDir = path.join(__dirname, '..', '..', '.build', 'containers');
const outFile = path.join(outDir, 'main.cjs');
// Unique temp file then rename: concurrent runs never load a half-written bundle.
const tempFile = `${outFile}.${process.pid}.tmp`;
fs.mkdirSync(outDir, { recursive: true });
esbuild.buildSync({
  entryPoints: [path.join(__dirname, 'src', 'main.ts')],
  outfile: tempFile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});
fs.renameSync(tempFile, outFile);

require(outFile).main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error) => { process.stderr.write(`containers: ${error instanceof Error ? error.stack : String(error)}\n`); process.exitCode = 1; },
);
