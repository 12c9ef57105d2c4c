import * as fs from 'node:fs';
import * as path from 'node:path';
import { GitopsError } from './errors';
import { dirtyPaths, git, headCommit, tryGit } from './git';

/** The only folders a deploy command writes to; restoring them undoes everything it did. */
const DEPLOY_PATHS = ['environments', 'dist'] as const;

/**
 * Mutating commands start from a clean worktree: then "restore on failure" can simply put
 * environments/ and dist/ back to HEAD without ever destroying someone's uncommitted work.
 */
export function requireCleanWorktree(root: string): void {
  const dirty = dirtyPaths(root);
  if (dirty.length > 0) {
    const shown = dirty.slice(0, 10).map((file) => `  ${file}`).join('\n');
    throw new GitopsError(`the worktree has uncommitted changes; commit or discard them first:\n${shown}${dirty.length > 10 ? '\n  ...' : ''}`);
  }
  if (fs.existsSync(path.join(gitDir(root), 'REVERT_HEAD')) || fs.existsSync(path.join(gitDir(root), 'rebase-merge'))) {
    throw new GitopsError('a revert or rebase is in progress; finish or abort it first');
  }
}

const gitDir = (root: string): string => path.resolve(root, git(root, ['rev-parse', '--git-dir']).trim());

/** Puts HEAD, the index, environments/ and dist/ back exactly as they were at `head`. */
export function restoreWorktree(root: string, head: string): void {
  if (fs.existsSync(path.join(gitDir(root), 'REVERT_HEAD'))) tryGit(root, ['revert', '--abort']);
  if (headCommit(root) !== head) git(root, ['reset', '--quiet', '--soft', head]);
  for (const dir of DEPLOY_PATHS) {
    // `restore` fails for a pathspec git has never seen (e.g. dist/ before the first synth).
    tryGit(root, ['restore', `--source=${head}`, '--staged', '--worktree', '--', dir]);
    tryGit(root, ['clean', '-fdq', '--', dir]);
  }
}

/** Runs `change`; if it throws, the repository is restored to where it started, then the error propagates. */
export function transaction<T>(root: string, change: () => T): T {
  const head = headCommit(root);
  try {
    return change();
  } catch (error) {
    restoreWorktree(root, head);
    throw error;
  }
}

/** Fails unless every changed path lies under one of `allowed` (a file or a folder). */
export function assertOnlyChanged(root: string, allowed: readonly string[]): void {
  const unexpected = dirtyPaths(root).filter((file) => !allowed.some((prefix) => file === prefix || file.startsWith(`${prefix}/`)));
  if (unexpected.length > 0) {
    throw new GitopsError(`re-synthesizing changed files outside ${allowed.join(', ')}: ${unexpected.slice(0, 5).join(', ')} (is dist/ out of date on this branch? run npm run synth and commit first)`);
  }
}
