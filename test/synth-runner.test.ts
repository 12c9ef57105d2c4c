// The synth runner: writes, removes stale files, reports drift with a diff, renders one
// environment on request, and is deterministic.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environmentNames } from '../environments';
import { renderEnvironments } from '../tools/synth/render';
import { synth, synthCli } from '../tools/synth/run';
import { distDir, repoRoot } from './support/dist';

let outDir: string;
const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
};

beforeEach(() => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-out-'));
});
afterEach(() => fs.rmSync(outDir, { recursive: true, force: true }));

test('rendering twice gives byte-identical files', () => {
  const first = renderEnvironments(environmentNames, { rootDir: repoRoot });
  const second = renderEnvironments(environmentNames, { rootDir: repoRoot });
  expect([...second]).toEqual([...first]);
});

test('the committed dist/ matches a fresh synth', () => {
  const result = synth({ rootDir: repoRoot, outDir: distDir, check: true });
  expect(result.diff).toBe('');
  expect(result.ok).toBe(true);
});

test('a full synth writes every environment, dist/argocd/ and dist/platform/ and removes stale files and folders', () => {
  fs.mkdirSync(path.join(outDir, 'staging'));
  fs.writeFileSync(path.join(outDir, 'staging', 'deployment-api.yaml'), 'stale');
  fs.mkdirSync(path.join(outDir, 'dev'));
  fs.writeFileSync(path.join(outDir, 'dev', 'configmap-old.yaml'), 'stale');
  const result = synth({ rootDir: repoRoot, outDir });
  expect(result.plan.removed).toEqual(['dev/configmap-old.yaml', 'staging/deployment-api.yaml']);
  expect(fs.readdirSync(outDir).sort()).toEqual(['argocd', 'dev', 'platform', 'prod', 'test']);
  expect(fs.readdirSync(path.join(outDir, 'argocd')).sort()).toEqual(['apps', 'bootstrap']);
  expect(fs.readFileSync(path.join(outDir, 'dev', 'deployment-api.yaml'), 'utf8')).toBe(fs.readFileSync(path.join(distDir, 'dev', 'deployment-api.yaml'), 'utf8'));
});

test('--env renders only that environment and leaves the other folders, dist/argocd/ included, alone', () => {
  fs.mkdirSync(path.join(outDir, 'prod'));
  fs.writeFileSync(path.join(outDir, 'prod', 'keep.yaml'), 'untouched');
  fs.mkdirSync(path.join(outDir, 'argocd', 'apps'), { recursive: true });
  fs.writeFileSync(path.join(outDir, 'argocd', 'apps', 'keep.yaml'), 'untouched');
  const { io, out } = capture();
  expect(synthCli(['--env', 'dev', '--outdir', outDir], io)).toBe(0);
  expect(fs.readdirSync(outDir).sort()).toEqual(['argocd', 'dev', 'prod']);
  expect(fs.readFileSync(path.join(outDir, 'prod', 'keep.yaml'), 'utf8')).toBe('untouched');
  expect(fs.readFileSync(path.join(outDir, 'argocd', 'apps', 'keep.yaml'), 'utf8')).toBe('untouched');
  expect(out.join('')).toMatch(/\(dev\): \d+ added, 0 changed, 0 removed, 0 unchanged/);
});

test('--check on a drifted folder exits 1, prints a unified diff and changes nothing', () => {
  synth({ rootDir: repoRoot, outDir, environments: ['dev'] });
  const file = path.join(outDir, 'dev', 'deployment-api.yaml');
  const edited = fs.readFileSync(file, 'utf8').replace('value: debug', 'value: trace');
  fs.writeFileSync(file, edited);
  fs.writeFileSync(path.join(outDir, 'dev', 'extra.yaml'), 'kind: Extra\n');
  const { io, err } = capture();
  expect(synthCli(['--check', '--env', 'dev', '--outdir', outDir], io)).toBe(1);
  const report = err.join('');
  expect(report).toContain('--- a/');
  expect(report).toContain('-              value: trace');
  expect(report).toContain('+              value: debug');
  expect(report).toContain('/dev/extra.yaml');
  expect(report).toContain('0 added, 1 changed, 1 removed');
  expect(fs.readFileSync(file, 'utf8')).toBe(edited);
});

test('--check on an up-to-date folder exits 0', () => {
  synth({ rootDir: repoRoot, outDir });
  const { io, out } = capture();
  expect(synthCli(['--check', '--outdir', outDir], io)).toBe(0);
  expect(out.join('')).toContain('is up to date');
});

test('an unknown environment or option is a usage error (exit 2)', () => {
  const unknownEnv = capture();
  expect(synthCli(['--env', 'staging', '--outdir', outDir], unknownEnv.io)).toBe(2);
  expect(unknownEnv.err.join('')).toContain('unknown environment "staging" (known: dev, test, prod)');
  const unknownOption = capture();
  expect(synthCli(['--chek'], unknownOption.io)).toBe(2);
  expect(unknownOption.err.join('')).toContain('usage: npm run synth');
  expect(fs.readdirSync(outDir)).toEqual([]);
});
