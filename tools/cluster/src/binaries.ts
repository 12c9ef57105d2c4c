// The control-plane binaries, built by tools/cluster/build.sh into a cache outside git (or
// found there). The script prints progress on stderr, which we pass through: a cold build
// takes many minutes and should say so.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repositoryRoot } from '../../repo-root';

// From the repository root: under tools/run-ts.cjs this code runs from a bundle in .build/.
export const BUILD_SCRIPT = path.join(repositoryRoot(), 'tools', 'cluster', 'build.sh');

/** The folder holding kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok. */
export function buildBinaries(): string {
  const output = execFileSync('bash', [BUILD_SCRIPT], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return output.trim().split('\n').pop()!;
}
