import { tryGit } from './git';
import { parseImageRef } from './image-ref';

/**
 * True when `candidate` was built from an older commit than `current`: both tags are commits
 * of this repository and the candidate's is a strict ancestor of the current one. Release
 * runs can finish out of order; with this check a slow build of an older commit never
 * replaces a newer one already deployed.
 */
export function isOlderBuild(root: string, candidate: string, current: string | undefined): boolean {
  if (current === undefined) return false;
  const [newTag, oldTag] = [parseImageRef(candidate).tag, parseImageRef(current).tag];
  const commit = (tag: string) => /^[0-9a-f]{40}$/.test(tag) && tryGit(root, ['cat-file', '-e', `${tag}^{commit}`]).status === 0;
  if (newTag === oldTag || !commit(newTag) || !commit(oldTag)) return false;
  return tryGit(root, ['merge-base', '--is-ancestor', newTag, oldTag]).status === 0;
}
