// bench:synth — full synth of every environment, the cdk8s CLI default (`cdk8s synth` running
// `npx ts-node`, as `cdk8s init` generates) against this repository's fast path, in the same
// run, on the same app and output. Prints min/median CPU (user+sys) and wall, and ratios.
// Usage: npm run bench:synth [-- --runs 5 --baseline-runs 3 --services 10,50,200]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { findRootDir } from '../../tools/synth/run';
import { measure, summarize, type Sample } from './measure';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'baseline-runs': { type: 'string', default: '3' },
    services: { type: 'string', default: '10,50,200' },
  },
});
const runs = Number(values.runs);
const baselineRuns = Number(values['baseline-runs']);
const serviceCounts = values.services.split(',').filter(Boolean).map(Number);
const root = findRootDir(__dirname);
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-synth-'));

interface Variant {
  readonly label: string;
  readonly command: string;
  readonly env?: NodeJS.ProcessEnv;
}

function sample(variant: Variant, count: number): Sample[] {
  const env = { ...process.env, ...variant.env, CI: 'true' };
  measure(variant.command, env, root); // warm-up: builds the bundle and fills OS caches
  return Array.from({ length: count }, () => {
    fs.rmSync(outDir, { recursive: true, force: true });
    return measure(variant.command, env, root);
  });
}

const format = (seconds: number) => seconds.toFixed(2);
const rows: string[] = [];

function compare(scenario: string, baseline: Variant, fast: readonly Variant[]): void {
  const base = sample(baseline, baselineRuns);
  const baseCpu = summarize(base.map((s) => s.cpuSeconds));
  const baseWall = summarize(base.map((s) => s.wallSeconds));
  const row = (label: string, cpu: { min: number; median: number }, wall: { min: number; median: number }) =>
    `| ${scenario} | ${label} | ${format(cpu.min)} / ${format(cpu.median)} | ${format(wall.min)} / ${format(wall.median)} | ${(baseCpu.median / cpu.median).toFixed(1)}x | ${(baseWall.median / wall.median).toFixed(1)}x |`;
  rows.push(row(baseline.label, baseCpu, baseWall));
  for (const variant of fast) {
    const samples = sample(variant, runs);
    rows.push(row(variant.label, summarize(samples.map((s) => s.cpuSeconds)), summarize(samples.map((s) => s.wallSeconds))));
  }
  console.log(rows.slice(-1 - fast.length).join('\n'));
}

console.log(`bench:synth on ${os.cpus().length} CPUs, node ${process.version}; ${runs} runs (baseline ${baselineRuns}) after one warm-up each`);
console.log('| scenario | command | CPU s min / median | wall s min / median | CPU ratio | wall ratio |');
console.log('| --- | --- | --- | --- | --- | --- |');
try {
  compare(
    'dev+test+prod',
    { label: '`cdk8s synth` (app: npx ts-node main.ts)', command: `npx cdk8s synth --app "npx ts-node main.ts" --output ${outDir}` },
    [
      { label: '`npm run synth`', command: `npm run --silent synth -- --outdir ${outDir}` },
      { label: '`node tools/run-ts.cjs` (no npm)', command: `node tools/run-ts.cjs --bundle-dependencies main.ts --outdir ${outDir}` },
    ],
  );
  for (const count of serviceCounts) {
    const env = { SYNTH_SERVICES: String(count) };
    compare(
      `+${count} services/env`,
      { label: '`cdk8s synth` (ts-node)', command: `npx cdk8s synth --app "npx ts-node bench/synth/synthetic-main.ts" --output ${outDir}`, env },
      [{ label: 'bundled (`run-ts.cjs`)', command: `node tools/run-ts.cjs --bundle-dependencies bench/synth/synthetic-main.ts --outdir ${outDir}`, env }],
    );
  }
} finally {
  fs.rmSync(outDir, { recursive: true, force: true });
}
