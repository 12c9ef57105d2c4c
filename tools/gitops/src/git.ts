import { spawnSync } from 'node:child_process';
import { GitopsError } from './errors';

export interface GitResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs git in `cwd` and returns its output whatever the exit status. */
export function tryGit(cwd: string, args: readonly string[], input?: string): GitResult {
  const result = spawnSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    // Never open an editor or a pager, and keep messages in English so errors can be parsed.
    env: { ...process.env, GIT_EDITOR: 'true', GIT_PAGER: 'cat', LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
  });
  if (result.error) throw new GitopsError(`git could not be started: ${result.error.message}`);
  return { status: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs git and returns stdout; a non-zero exit becomes a GitopsError carrying git's message. */
export function git(cwd: string, args: readonly string[], input?: string): string {
  const result = tryGit(cwd, args, input);
  if (result.status !== 0) {
    const detail = (result.stderr || result.stdout).trim().split('\n').slice(-5).join('\n');
    throw new GitopsError(`git ${args[0]} failed: ${detail}`);
  }
  return result.stdout;
}

export function repoRoot(cwd: string): string {
  const result = tryGit(cwd, ['rev-parse', '--show-toplevel']);
  if (result.status !== 0) throw new GitopsError(`${cwd} is not inside a git repository`);
  return result.stdout.trim();
}

/** Porcelain status lines (tracked changes and untracked files) under `paths` (all when empty). */
export function dirtyPaths(root: string, paths: readonly string[] = []): string[] {
  return git(root, ['status', '--porcelain=v1', '--untracked-files=all', '--', ...paths])
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.slice(3));
}

export function headCommit(root: string): string {
  return git(root, ['rev-parse', 'HEAD']).trim();
}

/** Resolves a revision to a full commit SHA, or throws a readable error naming it. */
export function resolveCommit(root: string, rev: string): string {
  const result = tryGit(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (result.status !== 0) throw new GitopsError(`"${rev}" is not a commit in this repository`);
  return result.stdout.trim();
}

/** The content of `file` at `rev`, or undefined when it does not exist there. */
export function showFile(root: string, rev: string, file: string): string | undefined {
  const result = tryGit(root, ['show', `${rev}:${file}`]);
  return result.status === 0 ? result.stdout : undefined;
}
