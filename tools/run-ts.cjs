#!/usr/bin/env node
// The repository's one TypeScript launcher (`npm run synth`, `gitops`, `dev`, the drills...):
// runs a TypeScript entry point without paying for ts-node. The entry is bundled once with
// esbuild into .build/ and reused while its inputs are unchanged. The cache key is a SHA-256
// over every bundled source file of the repository (the list comes from esbuild's metafile)
// plus package-lock.json, which pins everything from node_modules.
// Usage: node tools/run-ts.cjs [--bundle-dependencies] <entry.ts> [args for the entry]; the
// entry sees its own arguments at process.argv.slice(2), as if it had been run directly.
// Dependencies stay in node_modules unless --bundle-dependencies (the synth: one bundle plus
// V8's code cache loads cdk8s-plus faster than node_modules does; tools that drive esbuild
// or native addons need them external).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bundleDependencies = process.argv[2] === '--bundle-dependencies';
if (bundleDependencies) process.argv.splice(2, 1);
if (!process.argv[2] || !process.argv[2].endsWith('.ts')) {
  process.stderr.write('usage: node tools/run-ts.cjs [--bundle-dependencies] <entry.ts> [args...]\n');
  process.exit(2);
}
const entry = path.resolve(root, process.argv[2]);
process.argv.splice(2, 1);
const cacheDir = path.join(root, '.build');
const stem = path.relative(root, entry).replace(/[\\/]/g, '_').replace(/\.ts$/, '') + (bundleDependencies ? '' : '.ext');
const manifestFile = path.join(cacheDir, `${stem}.inputs.json`);

function hashInputs(inputs) {
  const hash = crypto.createHash('sha256');
  for (const input of ['package-lock.json', __filename, ...inputs]) {
    hash.update(`${path.relative(root, path.resolve(root, input))}\0`);
    hash.update(fs.readFileSync(path.resolve(root, input)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

function cachedBundle() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    return undefined;
  }
  try {
    if (hashInputs(manifest.inputs) !== manifest.hash) return undefined;
  } catch {
    return undefined; // an input was deleted or moved
  }
  const bundle = path.join(cacheDir, manifest.bundle);
  return fs.existsSync(bundle) ? bundle : undefined;
}

function build() {
  const esbuild = require('esbuild');
  fs.mkdirSync(cacheDir, { recursive: true });
  const temporary = path.join(cacheDir, `${stem}.${process.pid}.tmp.cjs`);
  const result = esbuild.buildSync({
    entryPoints: [entry],
    outfile: temporary,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    metafile: true,
    packages: bundleDependencies ? 'bundle' : 'external',
    logLevel: 'warning',
    // Keep __dirname meaningful for code that locates the repository root.
    absWorkingDir: root,
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((input) => !input.split(/[\\/]/).includes('node_modules'))
    .sort();
  const hash = hashInputs(inputs);
  const bundleName = `${stem}-${hash.slice(0, 16)}.cjs`;
  fs.renameSync(temporary, path.join(cacheDir, bundleName));
  // Drop bundles of earlier inputs so .build/ does not grow.
  for (const file of fs.readdirSync(cacheDir)) {
    if (file.startsWith(`${stem}-`) && !file.startsWith(bundleName)) fs.rmSync(path.join(cacheDir, file), { force: true });
  }
  const manifestTemporary = `${manifestFile}.${process.pid}.tmp`;
  fs.writeFileSync(manifestTemporary, `${JSON.stringify({ hash, bundle: bundleName, inputs }, null, 2)}\n`);
  fs.renameSync(manifestTemporary, manifestFile);
  return path.join(cacheDir, bundleName);
}

// Compiling a large bundle (2 MB for the synth) is a third of a synth's CPU; V8's code cache (kept beside the
// bundle, refreshed after a run when V8 rejects or lacks it) makes it nearly free.
function runWithCodeCache(bundle) {
  const vm = require('node:vm');
  const Module = require('node:module');
  const cacheFile = `${bundle}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
  const bundleModule = new Module(bundle, module);
  bundleModule.filename = bundle;
  bundleModule.paths = Module._nodeModulePaths(path.dirname(bundle));
  const bundleRequire = Module.createRequire(bundle);
  script.runInThisContext().call(bundleModule.exports, bundleModule.exports, bundleRequire, bundleModule, bundle, path.dirname(bundle));
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written after the run so the functions the synth actually used are included.
    const temporary = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, script.createCachedData());
    fs.renameSync(temporary, cacheFile);
  }
}

runWithCodeCache(cachedBundle() || build());
