// Throwaway copies of this repository for end-to-end tests: real git, the real synth runner,
// node_modules symlinked from the checkout under test.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../src/cli';

export const SOURCE_ROOT = path.resolve(__dirname, '..', '..', '..');

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'gitops test',
  GIT_AUTHOR_EMAIL: 'gitops-test@example.com',
  GIT_COMMITTER_NAME: 'gitops test',
  GIT_COMMITTER_EMAIL: 'gitops-test@example.com',
};
Object.assign(process.env, GIT_ENV);

export function sh(cwd: string, command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: process.env });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

export const git = (cwd: string, ...args: string[]): string => sh(cwd, 'git', args);

/** A scratch folder removed by `cleanup()`. */
export function scratch(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-test-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Per-repository settings so a developer's global git config (signing, hooks) cannot interfere. */
function prepare(root: string): void {
  git(root, 'config', 'commit.gpgsign', 'false');
  git(root, 'config', 'core.hooksPath', '/dev/null');
  linkNodeModules(root);
}

function linkNodeModules(root: string): void {
  fs.symlinkSync(path.join(SOURCE_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  // `node_modules/` in .gitignore matches directories only, not a symlink.
  fs.appendFileSync(path.join(root, '.git', 'info', 'exclude'), '/node_modules\n');
}

/**
 * A repository holding the tracked files of the checkout under test, re-synthesized so that
 * dist/ is consistent, committed as one initial commit on `main`.
 */
export function createTemplate(dir: string): string {
  const root = path.join(dir, 'template');
  const files = git(SOURCE_ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard')
    .split('\0')
    .filter((file) => file !== '' && fs.existsSync(path.join(SOURCE_ROOT, file)) && !fs.lstatSync(path.join(SOURCE_ROOT, file)).isSymbolicLink());
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.copyFileSync(path.join(SOURCE_ROOT, file), path.join(root, file));
  }
  git(root, 'init', '--quiet', '--initial-branch=main');
  prepare(root);
  sh(root, 'npm', ['run', '--silent', 'synth']);
  git(root, 'add', '--all');
  git(root, 'commit', '--quiet', '-m', 'initial layout');
  return root;
}

/**
 * A fresh working clone of `source` (a template or a bare origin) ready for the CLI. The
 * synth runner's bundle cache (.build/, git-ignored) is copied from `template` so that
 * every clone does not pay for bundling main.ts again.
 */
export function cloneRepo(source: string, dest: string, template?: string): string {
  git(path.dirname(dest), 'clone', '--quiet', source, dest);
  prepare(dest);
  const cache = template && path.join(template, '.build');
  if (cache && fs.existsSync(cache)) fs.cpSync(cache, path.join(dest, '.build'), { recursive: true });
  return dest;
}

export interface RunResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in-process against `cwd`, capturing its output. */
export async function gitops(cwd: string, ...argv: string[]): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    cwd,
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    now: () => new Date(),
    sleep: async () => undefined,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A valid immutable reference for test image `name`; `seed` varies tag and digest. */
export function imageRef(name: string, seed: number | string, owner = 'ecodata'): string {
  const hex = (n: number | string, length: number) => Buffer.from(String(n)).toString('hex').padStart(length, '0').slice(-length);
  const tag = typeof seed === 'string' && /^[0-9a-f]{40}$/.test(seed) ? seed : `v${seed}`;
  return `ghcr.io/${owner}/ecodata-${name}:${tag}@sha256:${hex(`${name}${seed}`, 64)}`;
}

export function readJson(root: string, file: string): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;
}

/** Every file under environments/ and dist/ with its exact bytes, for byte-identity checks. */
export function snapshot(root: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const dir of ['environments', 'dist']) {
    const absolute = path.join(root, dir);
    if (!fs.existsSync(absolute)) continue;
    for (const file of (fs.readdirSync(absolute, { recursive: true }) as string[]).sort()) {
      const full = path.join(absolute, file);
      if (fs.statSync(full).isFile()) result.set(path.join(dir, file), fs.readFileSync(full).toString('base64'));
    }
  }
  return result;
}

/**
 * jest hooks shared by the end-to-end tests: one template repository per test file, and a
 * fresh clone of it before each test, handed to `onClone`.
 */
export function useTemplateClones(onClone: (repo: string) => void): void {
  let tmp: ReturnType<typeof scratch>;
  let template: string;
  let counter = 0;
  beforeAll(() => {
    tmp = scratch();
    template = createTemplate(tmp.dir);
  });
  afterAll(() => tmp.cleanup());
  beforeEach(() => {
    onClone(cloneRepo(template, path.join(tmp.dir, `clone-${++counter}`), template));
  });
}
