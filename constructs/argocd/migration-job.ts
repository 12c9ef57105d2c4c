// The database migration as an Argo CD Sync hook: a Job from the API image running
// `node build/migrate.js`. It carries the migration wave, so Argo CD starts it only after
// the database wave is healthy and applies the Deployments (the workloads wave) only after
// it succeeded. A failed Job fails the sync: the new API version never rolls out.
// Not a PreSync hook: PreSync runs before every Sync-phase object, so on the very first
// install there would be no Namespace, NetworkPolicy or database yet.
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { componentLabels, selectorLabels } from '../labels';
import { toQuantities, type ComputeResources } from '../resources';
import { EnvironmentWave, HOOK_ANNOTATION, HOOK_DELETE_POLICY_ANNOTATION, SYNC_WAVE_ANNOTATION } from './sync-waves';

export interface MigrationJobProps {
  /** Name of the Job (fixed: the delete policy replaces the previous run). @default 'migrate' */
  readonly name?: string;
  /** Immutable image reference of the API (`registry/name:tag@sha256:...`). */
  readonly image: string;
  /** Value of app.kubernetes.io/version (the API's image tag). */
  readonly version: string;
  /** Command run in the image. @default ['node', 'build/migrate.js'] */
  readonly command?: readonly string[];
  /** Requests and limits of the container. */
  readonly resources: ComputeResources;
  /** Plain environment variables, rendered in key order. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from existing Secrets (never written to git). @default {} */
  readonly secretEnv?: Readonly<Record<string, { readonly secretName: string; readonly key: string }>>;
  /** ServiceAccount the pod runs as (its token is never mounted). */
  readonly serviceAccountName: string;
  /** Retries after a failed pod before the Job (and the sync) fails. @default 1 */
  readonly backoffLimit?: number;
  /** Seconds after which a still-running Job is failed (a stuck lock, an unreachable database). @default 600 */
  readonly activeDeadlineSeconds?: number;
  /** Seconds a finished Job (and its pod logs) is kept; the next sync replaces it anyway. @default 86400 */
  readonly ttlSecondsAfterFinished?: number;
  /** Non-root uid and gid the container runs as. @default 10001 */
  readonly runAsUser?: number;
  /** Sync wave of the hook. @default EnvironmentWave.migration */
  readonly syncWave?: number;
}

export class MigrationJob extends Construct {
  public readonly name: string;
  /** Labels selecting the Job's pods (NetworkPolicies). */
  public readonly selector: Readonly<Record<string, string>>;
  public readonly job: kplus.k8s.KubeJob;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    if (!/@sha256:[0-9a-f]{64}$/.test(props.image)) {
      throw new Error(`MigrationJob ${props.name ?? 'migrate'}: image must be pinned by digest (…@sha256:<64 hex>), got "${props.image}"`);
    }
    const backoffLimit = props.backoffLimit ?? 1;
    const activeDeadlineSeconds = props.activeDeadlineSeconds ?? 600;
    if (!Number.isInteger(backoffLimit) || backoffLimit < 0) {
      throw new Error(`MigrationJob ${props.name ?? 'migrate'}: backoffLimit must be a non-negative integer, got ${backoffLimit}`);
    }
    if (!Number.isInteger(activeDeadlineSeconds) || activeDeadlineSeconds < 1) {
      throw new Error(`MigrationJob ${props.name ?? 'migrate'}: activeDeadlineSeconds must be a positive integer, got ${activeDeadlineSeconds}`);
    }
    this.name = props.name ?? 'migrate';
    this.selector = selectorLabels(this.name);
    const labels = componentLabels(this.name, 'migration', props.version);
    const uid = props.runAsUser ?? 10001;
    const requests = toQuantities(props.resources.requests);
    const limits = toQuantities(props.resources.limits);
    const quantities = (q: { cpu: string; memory: string }) => ({ cpu: kplus.k8s.Quantity.fromString(q.cpu), memory: kplus.k8s.Quantity.fromString(q.memory) });

    this.job = new kplus.k8s.KubeJob(this, 'Job', {
      metadata: {
        name: this.name,
        labels,
        annotations: {
          [HOOK_ANNOTATION]: 'Sync',
          // Delete the previous run just before the next one, so its logs stay readable until then.
          [HOOK_DELETE_POLICY_ANNOTATION]: 'BeforeHookCreation',
          [SYNC_WAVE_ANNOTATION]: String(props.syncWave ?? EnvironmentWave.migration),
        },
      },
      spec: {
        backoffLimit,
        activeDeadlineSeconds,
        ttlSecondsAfterFinished: props.ttlSecondsAfterFinished ?? 86400,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            // The same pod and container security as the API's Deployment (restricted PSS).
            securityContext: { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, fsGroup: uid, fsGroupChangePolicy: 'Always' },
            containers: [
              {
                name: this.name,
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: [...(props.command ?? ['node', 'build/migrate.js'])],
                env: [
                  ...Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value })),
                  ...Object.entries(props.secretEnv ?? {}).map(([name, ref]) => ({
                    name,
                    valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } },
                  })),
                ],
                resources: { requests: quantities(requests), limits: quantities(limits) },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { drop: ['ALL'] },
                  privileged: false,
                  readOnlyRootFilesystem: true,
                  runAsGroup: uid,
                  runAsNonRoot: true,
                  runAsUser: uid,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    });
  }
}
