// Argo CD applies an Application's objects wave by wave (lowest first) and starts a wave only
// when every object of the previous one is healthy, so waves express "the database is ready
// before migrations run, migrations finish before the new API starts". See docs/argocd.md.
import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';
export const HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const HOOK_DELETE_POLICY_ANNOTATION = 'argocd.argoproj.io/hook-delete-policy';

/** The waves of one environment, in the order Argo CD applies them. */
export const EnvironmentWave = {
  /** The Namespace itself (restricted Pod Security) before anything is created in it. */
  namespace: -2,
  /** What pods need before they start: network policies, service accounts, configuration. */
  configuration: -1,
  /** The CloudNativePG Cluster; Argo CD's built-in health check waits for "Cluster in healthy state". */
  database: 0,
  /** The migration Job (a Sync hook): runs once the database is healthy, must succeed. */
  migration: 1,
  /** Deployments and everything serving or scaling them: only after migrations succeeded. */
  workloads: 2,
} as const;

/** Waves by `<apiVersion group>/<kind>`; kinds not listed belong to the workloads wave. */
const WAVE_BY_KIND: Readonly<Record<string, number>> = {
  '/Namespace': EnvironmentWave.namespace,
  '/ServiceAccount': EnvironmentWave.configuration,
  '/ConfigMap': EnvironmentWave.configuration,
  'networking.k8s.io/NetworkPolicy': EnvironmentWave.configuration,
  // The Cluster archives WAL into it (and a restore reads from it) from its first pod on.
  'barmancloud.cnpg.io/ObjectStore': EnvironmentWave.configuration,
  'postgresql.cnpg.io/Cluster': EnvironmentWave.database,
};

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

/** The wave an object of this apiVersion and kind belongs to in an environment. */
export function environmentWaveOf(apiVersion: string, kind: string): number {
  return WAVE_BY_KIND[`${groupOf(apiVersion)}/${kind}`] ?? EnvironmentWave.workloads;
}

/** The sync wave an API object carries, if any. */
export function syncWaveOf(object: ApiObject): string | undefined {
  const annotations = (object.metadata.toJson() as { annotations?: Record<string, string> }).annotations;
  return annotations?.[SYNC_WAVE_ANNOTATION];
}

/** Sets the sync wave of every API object in `scope` (the scope itself included). */
export function setSyncWave(scope: IConstruct, wave: number): void {
  for (const child of scope.node.findAll()) {
    if (child instanceof ApiObject) child.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
  }
}

/**
 * Gives every API object in `scope` that has no sync wave yet the wave of its kind. Objects
 * that set their own (the migration hook) keep it.
 */
export function assignEnvironmentWaves(scope: IConstruct): void {
  for (const child of scope.node.findAll()) {
    if (!(child instanceof ApiObject)) continue;
    if (syncWaveOf(child) !== undefined) continue;
    child.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(environmentWaveOf(child.apiVersion, child.kind)));
  }
}
