// kwok's stage files: since v0.8 kwok does nothing unless they are passed (it exits "no
// stages found"). They come from kwok's own module at the version tools/cluster/modules/kwok
// pins, so they always match the binary.
import path from 'node:path';
import { repositoryRoot } from '../../repo-root';
import { requiredVersion } from './go-mod';
import { moduleDir } from './upstream-crds';

export const KWOK_MODULE = 'sigs.k8s.io/kwok';

/** The kwok version required by tools/cluster/modules/kwok/go.mod. */
export function kwokVersion(goMod = path.join(repositoryRoot(), 'tools', 'cluster', 'modules', 'kwok', 'go.mod')): string {
  return requiredVersion(goMod, KWOK_MODULE);
}

/**
 * Nodes: initialised Ready at once, heartbeats through Leases. Pods: Ready when scheduled,
 * Succeeded for a Job's pods, removed when deleted (the "fast" set kwokctl uses by default).
 */
export const KWOK_STAGES = [
  'kustomize/stage/node/fast/node-initialize.yaml',
  'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'kustomize/stage/pod/fast/pod-ready.yaml',
  'kustomize/stage/pod/fast/pod-complete.yaml',
  'kustomize/stage/pod/fast/pod-delete.yaml',
];

export function kwokStageFiles(version = kwokVersion()): string[] {
  const dir = moduleDir(KWOK_MODULE, version);
  return KWOK_STAGES.map((file) => path.join(dir, file));
}
