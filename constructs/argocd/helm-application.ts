// One platform component installed from a pinned Helm chart by an Application. Shared rules:
// no cascade finalizer and no pruning (removing a component, its CRDs above all, is a
// deliberate manual act), server-side apply (CRDs and large objects exceed client-side
// apply's annotation limit), a namespace Argo CD creates with the labels given.
import { Construct } from 'constructs';
import { Application, type ApplicationSpecIgnoreDifferences } from '../imports/argoproj.io';
import { SYNC_WAVE_ANNOTATION } from './sync-waves';
import { syncPolicy } from './sync-policy';

export interface HelmApplicationProps {
  /** Application name. */
  readonly name: string;
  /** AppProject it belongs to. */
  readonly project: string;
  /** Sync wave in the root app-of-apps. */
  readonly wave: number;
  /** Helm repository: an https:// URL, or an OCI registry path without scheme. */
  readonly repoURL: string;
  /** Chart name. */
  readonly chart: string;
  /** Exact chart version. */
  readonly version: string;
  /** API server of the destination cluster. */
  readonly server: string;
  /** Namespace the release is installed into. */
  readonly namespace: string;
  /** Helm release name. @default the chart name */
  readonly releaseName?: string;
  /** Chart values. @default the chart's own defaults */
  readonly values?: Record<string, unknown>;
  /** Leave the chart's crds/ folder out (another Application owns those CRDs). @default false */
  readonly skipCrds?: boolean;
  /**
   * Create the namespace, with these labels (Pod Security level, for example; @default none:
   * the labels of an existing namespace are left alone).
   * @default the namespace must exist (kube-system)
   */
  readonly createNamespace?: { readonly labels?: Readonly<Record<string, string>> };
  /** Fields the component changes at runtime that self-heal must leave alone. @default none */
  readonly ignoreDifferences?: readonly ApplicationSpecIgnoreDifferences[];
}

/** Sync options of every platform Application. */
const PLATFORM_SYNC_OPTIONS = ['ServerSideApply=true'];

export class HelmApplication extends Construct {
  public readonly application: Application;

  constructor(scope: Construct, id: string, props: HelmApplicationProps) {
    super(scope, id);
    const ignoreDifferences = props.ignoreDifferences ?? [];
    const syncOptions = [
      ...(props.createNamespace ? ['CreateNamespace=true'] : []),
      ...PLATFORM_SYNC_OPTIONS,
      ...(ignoreDifferences.length > 0 ? ['RespectIgnoreDifferences=true'] : []),
    ];
    this.application = new Application(this, 'Application', {
      metadata: { name: props.name, annotations: { [SYNC_WAVE_ANNOTATION]: String(props.wave) } },
      spec: {
        project: props.project,
        source: {
          repoUrl: props.repoURL,
          chart: props.chart,
          targetRevision: props.version,
          helm: {
            releaseName: props.releaseName ?? props.chart,
            skipCrds: props.skipCrds ? true : undefined,
            valuesObject: props.values,
          },
        },
        destination: { server: props.server, namespace: props.namespace },
        syncPolicy: syncPolicy({
          automated: true,
          prune: false,
          selfHeal: true,
          syncOptions,
          managedNamespaceMetadata: props.createNamespace?.labels ? { labels: props.createNamespace.labels } : undefined,
        }),
        ignoreDifferences: ignoreDifferences.length > 0 ? [...ignoreDifferences] : undefined,
      },
    });
  }
}
