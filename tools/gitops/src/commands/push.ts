import { parseCommandArgs } from '../args';
import { isOlderBuild } from '../build-order';
import { type Command, type Context } from '../command';
import { type DeployCommit, formatDeployMessage, listDeployCommits, parseTrailers } from '../deploy-commit';
import { commitDeploy, imageChanges } from '../deploy';
import { type Environment, parseEnvironment } from '../environments';
import { GitopsError, UsageError } from '../errors';
import { dirtyPaths, git, headCommit, repoRoot, tryGit } from '../git';
import { readImages } from '../images-file';
import { synthEnvironment } from '../synth';
import { requireCleanWorktree, restoreWorktree } from '../workspace';

export const push: Command = {
  name: 'push',
  summary: 'push deploy commits, rebasing (or re-applying) and retrying when the branch moved',
  help: `Usage: gitops push [--remote origin] [--branch main] [--attempts 6] [--max-delay-ms 10000]

Pushes HEAD to <remote>/<branch>. When the push is rejected because someone else pushed
first, it fetches and rebases the local commits onto the new tip, then tries again after a
random delay (exponential backoff with full jitter), at most --attempts times.

Deploy commits of different environments touch different files and rebase cleanly. When a
rebase conflicts (two deploys of the same environment raced), the local deploy commits are
re-applied instead: the branch is moved to the remote tip and each deploy is redone from its
trailers (images file + synth + commit), so the later deploy wins and none is lost. A deploy
the remote already contains is dropped. After a clean rebase each touched environment is
re-synthesized to prove dist/ still matches; if not, it is re-applied too.

Requires a clean worktree. Local commits that are not deploy commits are rebased but never
re-applied (a conflict there stops the command).

Options:
  --remote <name>      remote to push to (default origin)
  --branch <name>      branch to update (default main)
  --attempts <n>       push attempts before giving up (default 6)
  --max-delay-ms <n>   upper bound of the random wait between attempts (default 10000)
  -h, --help           show this help`,
  async run(argv, context) {
    const args = parseCommandArgs(argv, {
      remote: { type: 'string', default: 'origin' },
      branch: { type: 'string', default: 'main' },
      attempts: { type: 'string', default: '6' },
      'max-delay-ms': { type: 'string', default: '10000' },
    });
    if (args.help) return context.out(push.help);
    const remote = args.remote as string;
    const branch = args.branch as string;
    const attempts = positiveInteger(args.attempts as string, '--attempts');
    const maxDelay = positiveInteger(args['max-delay-ms'] as string, '--max-delay-ms');
    const root = repoRoot(context.cwd);
    requireCleanWorktree(root);
    const tracking = `refs/remotes/${remote}/${branch}`;

    for (let attempt = 1; ; attempt++) {
      const result = tryGit(root, ['push', '--porcelain', remote, `HEAD:refs/heads/${branch}`]);
      if (result.status === 0) {
        context.out(`pushed ${headCommit(root).slice(0, 12)} to ${remote}/${branch} (attempt ${attempt})`);
        return;
      }
      const output = `${result.stdout}\n${result.stderr}`;
      if (!isRace(output)) throw new GitopsError(`push to ${remote}/${branch} failed:\n${output.trim()}`);
      if (attempt >= attempts) throw new GitopsError(`push to ${remote}/${branch} still rejected after ${attempts} attempts; giving up`);
      git(root, ['fetch', '--quiet', remote, `+refs/heads/${branch}:${tracking}`]);
      integrate(root, tracking, context);
      const delay = Math.floor(Math.random() * Math.min(maxDelay, 250 * 2 ** attempt));
      context.err(`push rejected (${remote}/${branch} moved); rebased, retrying in ${delay} ms`);
      await context.sleep(delay);
    }
  },
};

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a positive integer, got "${value}"`);
  return n;
}

/** Rejections caused by another push landing first (worth a retry), as opposed to auth or protection errors. */
const isRace = (output: string): boolean =>
  /\[rejected\].*\((fetch first|non-fast-forward|stale info)\)|cannot lock ref|failed to update ref|incorrect old value/.test(output);

/** Puts the local commits on top of `upstream`: rebase, verify, or re-apply the deploy commits. */
export function integrate(root: string, upstream: string, context: Context): void {
  const local = git(root, ['rev-list', '--reverse', `${upstream}..HEAD`]).split('\n').filter((sha) => sha !== '');
  if (local.length === 0) return;
  const deploys = new Map(listDeployCommits(root, { range: [`${upstream}..HEAD`] }).map((commit) => [commit.sha, commit]));
  const allDeploys = local.every((sha) => deploys.has(sha));
  const start = headCommit(root);

  if (tryGit(root, ['rebase', '--quiet', upstream]).status === 0) {
    const envs = [...new Set(local.map((sha) => deploys.get(sha)?.env).filter((env): env is string => env !== undefined))];
    const stale = envs.filter((env) => !synthMatches(root, parseEnvironment(env)));
    if (stale.length === 0) return;
    if (!allDeploys) throw new GitopsError(`after rebasing, dist/ of ${stale.join(', ')} no longer matches the synth and non-deploy commits cannot be re-applied`);
    context.err(`rebased dist/ of ${stale.join(', ')} differs from a fresh synth; re-applying the deploy commits instead`);
  } else {
    tryGit(root, ['rebase', '--abort']);
    if (!allDeploys) {
      restoreWorktree(root, start);
      throw new GitopsError(`rebase onto ${upstream} conflicts and some local commits are not deploy commits; resolve by hand`);
    }
    context.err(`rebase onto ${upstream} conflicts (same environment deployed concurrently); re-applying the deploy commits`);
  }
  reapply(root, upstream, local.map((sha) => deploys.get(sha) as DeployCommit), context);
}

function synthMatches(root: string, env: Environment): boolean {
  synthEnvironment(root, env);
  const clean = dirtyPaths(root).length === 0;
  if (!clean) restoreWorktree(root, headCommit(root));
  return clean;
}

/** Redoes each deploy commit on top of `upstream` from its trailers; deploys already present there are dropped. */
function reapply(root: string, upstream: string, commits: readonly DeployCommit[], context: Context): void {
  const base = git(root, ['rev-parse', upstream]).trim();
  git(root, ['reset', '--quiet', '--hard', base]);
  for (const commit of commits) {
    const env = parseEnvironment(commit.env);
    const current = readImages(root, env);
    const paragraphs = commit.message.trim().split(/\n\n+/);
    const trailers = parseTrailers(paragraphs[paragraphs.length - 1]);
    // A bump made with --newer-only must not replace a newer build that landed meanwhile.
    const newerOnly = trailers.some(([key, value]) => key === 'Deploy-Newer-Only' && value === 'true');
    const wanted = [...commit.images].filter(([name, ref]) => !(newerOnly && isOlderBuild(root, ref, current[name])));
    const next = { ...current, ...Object.fromEntries(wanted) };
    const changes = imageChanges(current, next);
    if (changes.length === 0) {
      context.err(`dropping ${commit.sha.slice(0, 12)} (${commit.subject}): ${upstream} already runs it or a newer build`);
      continue;
    }
    const message = formatDeployMessage({
      env,
      action: (commit.action as 'bump' | 'promote' | 'rollback'),
      changes,
      sections: [...paragraphs.slice(2, -1), `Re-applied on top of ${base.slice(0, 12)} after a concurrent deploy (originally ${commit.sha.slice(0, 12)}).`],
      extraTrailers: trailers.filter(([key]) => !['Deploy-Environment', 'Deploy-Action'].includes(key) && !key.startsWith('Deploy-Image-')),
    });
    commitDeploy(root, env, next, message);
  }
}
