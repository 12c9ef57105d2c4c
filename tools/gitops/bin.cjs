#!/usr/bin/env node
// Entry point of `npm run gitops`. Bundles the TypeScript sources with esbuild (tens of
// milliseconds, no type checking: `npm run typecheck` does that) into .build/ and runs the
// bundle, so the CLI starts in well under a second without ts-node.
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const outDir = path.join(__dirname, '..', '..', '.build', 'gitops');
const outFile = path.join(outDir, 'cli.cjs');
// Write to a unique temp file then rename: concurrent runs never load a half-written bundle.
const tempFile = `${outFile}.${process.pid}.tmp`;
fs.mkdirSync(outDir, { recursive: true });
esbuild.buildSync({
  entryPoints: [path.join(__dirname, 'src', 'cli.ts')],
  outfile: tempFile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});
fs.renameSync(tempFile, outFile);

const { main, processContext } = require(outFile);
main(process.argv.slice(2), processContext()).then(
  (code) => { process.exitCode = code; },
  (error) => { process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`); process.exitCode = 1; },
);
