// What the cluster tests use to talk to the run's control plane: kubectl against its
// kubeconfig, applying folders of manifests the way Argo CD orders them, and reading live
// objects back.
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import type { ClusterState } from '../../../tools/cluster/src/control-plane';
import { kubectl as run, kubectlOutput, KubectlError, type KubectlOutput } from '../../../tools/cluster/src/kubectl';
import { distDir, type KubeObject } from '../../support/dist';

export { KubectlError };

/** The environment variable the global setup describes the cluster in. */
export const CLUSTER_ENV = 'ECODATA_TEST_CLUSTER';
/** The folder of the test's extra kwok stage files (removed by the teardown). */
export const STAGES_ENV = 'ECODATA_TEST_KWOK_STAGES';

export function cluster(): ClusterState {
  const raw = process.env[CLUSTER_ENV];
  if (!raw) throw new Error(`${CLUSTER_ENV} is not set: run the cluster tests through jest (test/cluster/jest.config.js starts the control plane)`);
  return JSON.parse(raw) as ClusterState;
}

export const kubectl = (args: readonly string[], input?: string): Promise<string> => run(cluster(), args, input);
/** kubectl, keeping stderr of a successful run (the server's warnings). */
export const kubectlWithWarnings = (args: readonly string[], input?: string): Promise<KubectlOutput> => kubectlOutput(cluster(), args, input);

/** The manager name every test apply uses, so later applies own (and may change) the same fields. */
export const FIELD_MANAGER = 'ecodata-tests';

/**
 * Server-side apply with strict field validation: an unknown or duplicate field is an error,
 * not a warning, and CRD schemas (CEL rules included) are enforced by the server.
 */
export function serverSideApply(files: readonly string[], extra: readonly string[] = []): Promise<string> {
  return kubectl(['apply', '--server-side', '--validate=strict', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', ...extra, ...files.flatMap((f) => ['-f', f])]);
}

/** Applies a manifest given as an object (through stdin). */
export function serverSideApplyObject(object: KubeObject, extra: readonly string[] = []): Promise<string> {
  return kubectl(['apply', '--server-side', '--validate=strict', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', ...extra, '-f', '-'], JSON.stringify(object));
}

const yamlFiles = (dir: string): string[] =>
  (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => path.join(dir, file));

const readObject = (file: string): KubeObject => load(fs.readFileSync(file, 'utf8')) as KubeObject;

/**
 * Argo CD hooks (the migration Job) are not updated in place: with the hook delete policy
 * BeforeHookCreation (Argo CD's default) every sync deletes the previous hook object and
 * creates it anew. Applying over it instead would fail on the Job's immutable pod template.
 */
function isRecreatedHook(object: KubeObject): boolean {
  const annotations = object.metadata.annotations ?? {};
  if (!annotations['argocd.argoproj.io/hook']) return false;
  const policies = (annotations['argocd.argoproj.io/hook-delete-policy'] ?? 'BeforeHookCreation').split(',').map((p) => p.trim());
  return policies.includes('BeforeHookCreation');
}

/**
 * Argo CD's order of kinds within a sync wave (gitops-engine, pkg/sync/sync_tasks.go
 * kindOrder); kinds it does not list go last.
 */
const ARGOCD_KIND_ORDER = ['Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService'];

const waveOf = (object: KubeObject): number => Number(object.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');
const kindRank = (object: KubeObject): number => {
  const rank = ARGOCD_KIND_ORDER.indexOf(object.kind);
  return rank === -1 ? ARGOCD_KIND_ORDER.length : rank;
};

/**
 * Applies every manifest under `dir` in the order of an Argo CD sync: wave by wave, kinds in
 * Argo CD's order within a wave, hooks deleted and created anew, and a wave's hook Jobs
 * complete before the next wave starts (a Sync hook that fails stops the sync). Not
 * emulated: health gates on other kinds (nothing here drives a CloudNativePG Cluster healthy).
 */
export async function applyFolder(dir: string): Promise<string> {
  const objects = yamlFiles(dir).map((file) => ({ file, object: readObject(file) }));
  const waves = [...new Set(objects.map(({ object }) => waveOf(object)))].sort((a, b) => a - b);
  let output = '';
  for (const wave of waves) {
    const members = objects.filter(({ object }) => waveOf(object) === wave).sort((a, b) => kindRank(a.object) - kindRank(b.object) || a.object.metadata.name.localeCompare(b.object.metadata.name));
    for (const { object } of members.filter(({ object }) => isRecreatedHook(object))) {
      await kubectl(['delete', object.kind, object.metadata.name, '-n', object.metadata.namespace ?? 'default', '--ignore-not-found', '--wait=true']);
    }
    output += await serverSideApply(members.map(({ file }) => file));
    for (const { object } of members.filter(({ object }) => object.kind === 'Job' && object.metadata.annotations?.['argocd.argoproj.io/hook'])) {
      await kubectl(['wait', '--for=condition=Complete', `job/${object.metadata.name}`, '-n', object.metadata.namespace ?? 'default', '--timeout=120s']);
    }
  }
  return output;
}

interface List<T> {
  items: T[];
}

/** `kubectl get <what> -o json` items. */
export async function list(what: string, namespace?: string, extra: readonly string[] = []): Promise<KubeObject[]> {
  const scope = namespace ? ['-n', namespace] : ['--all-namespaces'];
  return (JSON.parse(await kubectl(['get', what, ...scope, ...extra, '-o', 'json'])) as List<KubeObject>).items;
}

export async function get(what: string, name: string, namespace?: string): Promise<KubeObject> {
  return JSON.parse(await kubectl(['get', what, name, ...(namespace ? ['-n', namespace] : []), '-o', 'json'])) as KubeObject;
}

/** Whether a label selector (matchLabels and matchExpressions) selects `labels`. */
export function selects(selector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined, labels: Record<string, string> = {}): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const has = key in labels;
    if (operator === 'In' && !(has && values.includes(labels[key]))) return false;
    if (operator === 'NotIn' && has && values.includes(labels[key])) return false;
    if (operator === 'Exists' && !has) return false;
    if (operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` returns a value (not undefined); fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await sleep(250);
  }
}

/** The namespace of an environment's objects (every dist/<env> object names its namespace). */
export function namespaceOf(environment: string): string {
  return `ecodata-${environment}`;
}

/**
 * Waits until every Deployment of the namespace has rolled out (`kubectl rollout status`),
 * after its HorizontalPodAutoscaler, if any, has raised it to minReplicas (the HPA controller
 * does that on its first pass, within its 15 s sync period, metrics or not).
 */
export async function waitForRollouts(namespace: string, timeoutSeconds = 180): Promise<void> {
  const names = (await kubectl(['get', 'deployments', '-n', namespace, '-o', 'name'])).trim().split('\n').filter(Boolean);
  if (names.length === 0) throw new Error(`no Deployment in ${namespace}`);
  for (const hpa of await list('horizontalpodautoscalers', namespace)) {
    const target = `${hpa.spec.scaleTargetRef.kind.toLowerCase()}/${hpa.spec.scaleTargetRef.name}`;
    await eventually(`${namespace}/${target} scaled to the HPA's minReplicas`, async () => ((await get(target.split('/')[0], target.split('/')[1], namespace)).spec.replicas >= hpa.spec.minReplicas ? true : undefined), timeoutSeconds * 1000);
  }
  for (const name of names) await kubectl(['rollout', 'status', name, '-n', namespace, `--timeout=${timeoutSeconds}s`]);
}

/** Applies dist/<environment> and waits for its rollouts: what a sync followed by health is. */
export async function deploy(environment: string, dir = path.join(distDir, environment)): Promise<void> {
  await applyFolder(dir);
  await waitForRollouts(namespaceOf(environment));
}

/** Whether a pod is Ready and not on its way out. */
export function isReadyPod(pod: KubeObject): boolean {
  return !pod.metadata.deletionTimestamp && (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True');
}
