// Pieces shared by every Application this repository renders.
import type { ApplicationSpecSyncPolicy } from '../imports/argoproj.io';

/** Deleting an Application with this finalizer deletes the objects it manages (cascade). */
export const RESOURCES_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * Waves of the root app-of-apps, the layers of flux2-kustomize-helm-example: CRDs, then the
 * controllers, then their configuration, then the apps. With the Application health check
 * of argocd-settings.ts each wave starts once the previous one is Healthy.
 */
export const RootWave = {
  /** AppProjects exist before any Application names them. */
  projects: -4,
  /** CRD bundles (Gateway API, Prometheus Operator, Envoy Gateway's own). */
  crds: -3,
  /** Controllers: Argo CD itself, cert-manager, Envoy Gateway, CloudNativePG, metrics-server, the monitoring stack. */
  controllers: -2,
  /** Their configuration: GatewayClass, Gateway, ClusterIssuers, certificates (dist/platform/). */
  configs: -1,
  /** The ecodata environments. */
  environments: 0,
} as const;

/**
 * Failed syncs are retried with exponential backoff (15 s, 30 s, ... capped at 10 min; about
 * 45 minutes in all), so an environment synced before its CRDs or operator are ready, or
 * a migration that failed on a transient database error, converges without a human.
 * `refresh`: each retry syncs the newest commit, not the one that failed. Without it a failed
 * deploy (a migration that fails every time) keeps retrying its own revision for those 45
 * minutes, and the `gitops rollback` commit, self-heal and pruning all wait behind it: the
 * Argo CD tests saw exactly that.
 */
export const RETRY: NonNullable<ApplicationSpecSyncPolicy['retry']> = {
  limit: 10,
  backoff: { duration: '15s', factor: 2, maxDuration: '10m' },
  refresh: true,
};

export interface SyncPolicyProps {
  /** Sync every new commit without a click. */
  readonly automated: boolean;
  /** Delete objects that disappear from the source during automated syncs. */
  readonly prune: boolean;
  /** Revert changes made in the cluster by hand. */
  readonly selfHeal: boolean;
  /** Argo CD sync options, e.g. ServerSideApply=true. @default [] */
  readonly syncOptions?: readonly string[];
  /** Labels of the namespace CreateNamespace=true creates. @default none */
  readonly managedNamespaceMetadata?: { readonly labels: Readonly<Record<string, string>> };
}

export function syncPolicy(props: SyncPolicyProps): ApplicationSpecSyncPolicy {
  if (!props.automated && (props.prune || props.selfHeal)) {
    throw new Error('prune and selfHeal only apply to automated sync');
  }
  return {
    automated: props.automated ? { prune: props.prune, selfHeal: props.selfHeal } : undefined,
    syncOptions: props.syncOptions && props.syncOptions.length > 0 ? [...props.syncOptions] : undefined,
    managedNamespaceMetadata: props.managedNamespaceMetadata ? { labels: { ...props.managedNamespaceMetadata.labels } } : undefined,
    retry: RETRY,
  };
}
