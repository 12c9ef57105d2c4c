import { type DeployAction, type ImageChange } from './deploy-commit';
import { type Environment, distPath, imagesFilePath } from './environments';
import { GitopsError } from './errors';
import { git, headCommit } from './git';
import { type Images, writeImages } from './images-file';
import { synthEnvironment } from './synth';
import { assertOnlyChanged, transaction } from './workspace';

/** The image names whose reference differs between `current` and `next`. */
export function imageChanges(current: Images, next: Images): ImageChange[] {
  return Object.keys(next)
    .sort()
    .filter((name) => current[name] !== next[name])
    .map((name) => ({ name, from: current[name], to: next[name] }));
}

export function refuseNoOp(changes: readonly ImageChange[], env: Environment, action: DeployAction): void {
  if (changes.length === 0) throw new GitopsError(`${action}: nothing to do, ${env} already runs these references`);
}

/**
 * Writes the images file, re-renders the environment and commits both in one commit. Any
 * failure (synth error, unexpected files, commit hook) puts the repository back as it was.
 * Returns the new commit's SHA.
 */
export function commitDeploy(root: string, env: Environment, images: Images, message: string): string {
  return transaction(root, () => {
    writeImages(root, env, images);
    synthEnvironment(root, env);
    commitEnvironment(root, env, message);
    return headCommit(root);
  });
}

/** Stages exactly the environment's files and commits them (the caller owns the transaction). */
export function commitEnvironment(root: string, env: Environment, message: string): void {
  const paths = [imagesFilePath(env), distPath(env)];
  assertOnlyChanged(root, paths);
  git(root, ['add', '--all', '--', ...paths]);
  git(root, ['commit', '--quiet', '--cleanup=whitespace', '-F', '-'], message);
}
