// The repository root, wherever the drill runs (see tools/repo-root.ts).
export { repositoryRoot } from '../../../repo-root';
