import { parseCommandArgs } from '../args';
import { type Command } from '../command';
import { type DeployCommit, formatDeployMessage, listDeployCommits } from '../deploy-commit';
import { commitEnvironment, imageChanges, refuseNoOp } from '../deploy';
import { type Environment, imagesFilePath, parseEnvironment } from '../environments';
import { GitopsError } from '../errors';
import { git, headCommit, repoRoot, resolveCommit, showFile, tryGit } from '../git';
import { type Images, parseImages, readImages, writeImages } from '../images-file';
import { synthEnvironment } from '../synth';
import { requireCleanWorktree, transaction } from '../workspace';

export const rollback: Command = {
  name: 'rollback',
  summary: 'revert the latest deploy of an environment (or every deploy after a commit)',
  help: `Usage: gitops rollback --env <env> [--to <commit>]

Reverts, with git revert, the latest deploy commit of <env> that is not already rolled back
(or, with --to, every deploy commit of <env> made after <commit>), re-renders dist/<env> to
check the result is what the synth produces, and commits one linear "deploy(<env>): roll back
to ..." commit that names the reverted commits (trailers Deploy-Reverts). Running it again
goes one more deploy back.

Options:
  --env <env>          environment to roll back
  --to <commit>        roll back to the state of <env> at this commit
  -h, --help           show this help`,
  run(argv, context) {
    const args = parseCommandArgs(argv, { env: { type: 'string' }, to: { type: 'string' } });
    if (args.help) return context.out(rollback.help);
    const env = parseEnvironment(args.env as string | undefined);
    const root = repoRoot(context.cwd);
    const toRevert = commitsToRevert(root, env, args.to as string | undefined);
    requireCleanWorktree(root);

    const current = readImages(root, env);
    const sha = transaction(root, () => {
      if (!revertCleanly(root, toRevert)) {
        context.err('note: git revert conflicted (dist/ changed for other reasons since); reverting the images file and re-rendering instead');
        writeImages(root, env, imagesBefore(root, env, current, toRevert));
      }
      synthEnvironment(root, env);
      const changes = imageChanges(current, readImages(root, env));
      refuseNoOp(changes, env, 'rollback');
      const reverted = toRevert.map((commit) => `This reverts commit ${commit.sha} (${commit.subject}).`).join('\n');
      commitEnvironment(root, env, formatDeployMessage({
        env,
        action: 'rollback',
        changes,
        sections: [reverted],
        extraTrailers: toRevert.map((commit) => ['Deploy-Reverts', commit.sha] as const),
      }));
      return headCommit(root);
    });
    context.out(`${sha.slice(0, 12)} deploy(${env}): rolled back ${toRevert.map((c) => c.sha.slice(0, 12)).join(', ')}`);
  },
};

/** Newest first, as git revert must apply them. */
function commitsToRevert(root: string, env: Environment, to: string | undefined): DeployCommit[] {
  if (to !== undefined) {
    const target = resolveCommit(root, to);
    if (tryGit(root, ['merge-base', '--is-ancestor', target, 'HEAD']).status !== 0) {
      throw new GitopsError(`--to ${to} is not an ancestor of HEAD`);
    }
    const commits = listDeployCommits(root, { env, range: [`${target}..HEAD`] });
    if (commits.length === 0) throw new GitopsError(`nothing to roll back: no deploy commit of ${env} after ${to}`);
    return commits;
  }
  const commits = listDeployCommits(root, { env });
  const reverted = new Set(commits.flatMap((commit) => commit.reverts));
  const latest = commits.find((commit) => commit.action !== 'rollback' && !reverted.has(commit.sha));
  if (latest === undefined) throw new GitopsError(`nothing to roll back: ${env} has no deploy commit that is not already rolled back`);
  return [latest];
}

/** `git revert --no-commit` of every commit; on conflict the revert is aborted and false returned. */
function revertCleanly(root: string, commits: readonly DeployCommit[]): boolean {
  const result = tryGit(root, ['revert', '--no-commit', ...commits.map((commit) => commit.sha)]);
  if (result.status === 0) return true;
  tryGit(root, ['revert', '--abort']);
  git(root, ['restore', '--source=HEAD', '--staged', '--worktree', '--', '.']);
  return false;
}

/** The images the environment had before the reverted commits changed them. */
function imagesBefore(root: string, env: Environment, current: Images, commits: readonly DeployCommit[]): Images {
  const result: Record<string, string> = { ...current };
  for (const commit of commits) {
    const text = showFile(root, `${commit.sha}^`, imagesFilePath(env));
    if (text === undefined) throw new GitopsError(`${imagesFilePath(env)} did not exist before ${commit.sha}`);
    const before = parseImages(text, `${imagesFilePath(env)} at ${commit.sha.slice(0, 12)}^`);
    for (const name of commit.images.keys()) if (name in before) result[name] = before[name];
  }
  return result;
}
