import { listDeployCommits } from './deploy-commit';
import { type Environment } from './environments';
import { tryGit } from './git';
import { parseImageRef } from './image-ref';

const MAX_LINES = 50;

/**
 * What changed between two references of one image, as Markdown-friendly lines.
 * Release tags are the commit SHAs the images were built from, so when both tags are
 * commits here the answer is `git log old..new -- app/`. Otherwise (placeholder tags, or
 * history not fetched) it falls back to the deploy commits of the source environment that
 * moved this image since the old reference.
 */
export function changelog(root: string, name: string, from: string | undefined, to: string, sourceEnv: Environment): string[] {
  const fromTag = from === undefined ? undefined : parseImageRef(from).tag;
  const toTag = parseImageRef(to).tag;
  if (fromTag !== undefined && isCommit(root, fromTag) && isCommit(root, toTag)) {
    const log = tryGit(root, ['log', '--no-merges', `--format=%h %s (%an)`, `${fromTag}..${toTag}`, '--', 'app/']);
    if (log.status === 0) return limit(log.stdout.split('\n').filter((line) => line !== ''), `git log ${fromTag.slice(0, 12)}..${toTag.slice(0, 12)} -- app/`);
  }
  const lines: string[] = [];
  for (const commit of listDeployCommits(root, { env: sourceEnv })) {
    const ref = commit.images.get(name);
    if (ref === undefined) continue;
    if (ref === from) break;
    lines.push(`${commit.sha.slice(0, 12)} ${commit.subject}`);
  }
  return limit(lines, `deploy commits of ${sourceEnv}`);
}

function isCommit(root: string, rev: string): boolean {
  return /^[0-9a-f]{7,40}$/.test(rev) && tryGit(root, ['cat-file', '-e', `${rev}^{commit}`]).status === 0;
}

function limit(lines: string[], source: string): string[] {
  if (lines.length === 0) return [`(no commits found in ${source})`];
  return lines.length > MAX_LINES ? [...lines.slice(0, MAX_LINES), `... ${lines.length - MAX_LINES} more (${source})`] : lines;
}
