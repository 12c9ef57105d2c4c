// The AppProjects the root app manages, each allowing exactly what its Applications deploy:
// `ecodata` (the environments) may only read this repository and write the environment
// namespaces; `ecodata-platform` may only read the pinned upstream sources and write the
// platform namespaces and the cluster-scoped kinds those components install.
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../environments/platform-schema';
import { AppProject } from '../imports/argoproj.io';
import { PLATFORM_CONFIG_KINDS, PLATFORM_KINDS, type ResourceKind } from './platform-applications';
import { SYNC_WAVE_ANNOTATION } from './sync-waves';
import { RootWave } from './sync-policy';

export interface EnvironmentsProjectProps {
  /** AppProject name. @default 'ecodata' */
  readonly name?: string;
  /** This repository's URL: the only source allowed. */
  readonly repoURL: string;
  /** API server of the destination cluster. */
  readonly server: string;
  /** The environment namespaces: the only destinations allowed. */
  readonly namespaces: readonly string[];
  /** Namespaced kinds the environments' manifests contain. */
  readonly namespacedKinds: readonly ResourceKind[];
  /** Cluster-scoped kinds the environments' manifests contain (their Namespaces). */
  readonly clusterKinds: readonly ResourceKind[];
}

const byGroupAndKind = (a: ResourceKind, b: ResourceKind) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind);

/** Sorted, without duplicates. */
export function uniqueKinds(kinds: readonly ResourceKind[]): ResourceKind[] {
  const seen = new Map(kinds.map((k) => [`${k.group}/${k.kind}`, { group: k.group, kind: k.kind }]));
  return [...seen.values()].sort(byGroupAndKind);
}

export class EnvironmentsProject extends Construct {
  public readonly name: string;
  public readonly project: AppProject;

  constructor(scope: Construct, id: string, props: EnvironmentsProjectProps) {
    super(scope, id);
    this.name = props.name ?? 'ecodata';
    const namespaces = [...props.namespaces].sort();
    this.project = new AppProject(this, 'AppProject', {
      metadata: { name: this.name, annotations: { [SYNC_WAVE_ANNOTATION]: String(RootWave.projects) } },
      spec: {
        description: 'EcoData environments: dist/<env> of this repository into the ecodata namespaces',
        sourceRepos: [props.repoURL],
        destinations: namespaces.map((namespace) => ({ server: props.server, namespace })),
        // Cluster-scoped objects only by name: each environment's own Namespace.
        clusterResourceWhitelist: uniqueKinds(props.clusterKinds).flatMap((kind) =>
          kind.group === '' && kind.kind === 'Namespace' ? namespaces.map((name) => ({ ...kind, name })) : [kind],
        ),
        namespaceResourceWhitelist: uniqueKinds(props.namespacedKinds),
      },
    });
  }
}

export interface PlatformProjectProps {
  /** AppProject name. @default 'ecodata-platform' */
  readonly name?: string;
  /** The validated platform configuration. */
  readonly platform: PlatformConfig;
}

/** The CRD and controller layers: the pinned upstream sources, their namespaces and kinds. */
export class PlatformProject extends Construct {
  public readonly name: string;
  public readonly project: AppProject;

  constructor(scope: Construct, id: string, props: PlatformProjectProps) {
    super(scope, id);
    this.name = props.name ?? 'ecodata-platform';
    const { platform } = props;
    const charts = [platform.certManager, platform.envoyGateway, platform.cloudnativePg, platform.barmanCloudPlugin, platform.metricsServer, platform.kubePrometheusStack];
    const sources = [platform.argocd.repoURL, platform.gatewayApiCrds.repoURL, platform.prometheusOperatorCrds.repoURL, ...charts.map((c) => c.repoURL)];
    // Namespaces Argo CD creates (CreateNamespace=true): allowed by name, nothing else.
    const created = [platform.certManager, platform.envoyGateway, platform.cloudnativePg, platform.kubePrometheusStack].map((c) => c.namespace);
    const namespaces = [
      ...created,
      platform.argocdNamespace,
      platform.metricsServer.namespace,
      platform.gatewayApiCrds.namespace,
      platform.prometheusOperatorCrds.namespace,
      // cert-manager's leader election Role and metrics-server's auth-reader RoleBinding.
      'kube-system',
    ];
    const kinds = Object.values(PLATFORM_KINDS);
    this.project = new AppProject(this, 'AppProject', {
      metadata: { name: this.name, annotations: { [SYNC_WAVE_ANNOTATION]: String(RootWave.projects) } },
      spec: {
        description: 'Platform CRDs and controllers the EcoData environments need, pinned to exact upstream versions',
        sourceRepos: [...new Set(sources)].sort(),
        destinations: [...new Set(namespaces)].sort().map((namespace) => ({ server: platform.destinationServer, namespace })),
        clusterResourceWhitelist: [
          ...uniqueKinds(kinds.flatMap((k) => [...k.cluster])),
          ...[...new Set(created)].sort().map((name) => ({ group: '', kind: 'Namespace', name })),
        ],
        namespaceResourceWhitelist: uniqueKinds(kinds.flatMap((k) => [...k.namespaced])),
      },
    });
  }
}

export interface PlatformConfigsProjectProps {
  /** AppProject name. @default 'ecodata-platform-configs' */
  readonly name?: string;
  /** The validated platform configuration. */
  readonly platform: PlatformConfig;
}

/** The configs layer: this repository's dist/platform/ into the gateway namespace, its kinds only. */
export class PlatformConfigsProject extends Construct {
  public readonly name: string;
  public readonly project: AppProject;

  constructor(scope: Construct, id: string, props: PlatformConfigsProjectProps) {
    super(scope, id);
    this.name = props.name ?? 'ecodata-platform-configs';
    const { platform } = props;
    this.project = new AppProject(this, 'AppProject', {
      metadata: { name: this.name, annotations: { [SYNC_WAVE_ANNOTATION]: String(RootWave.projects) } },
      spec: {
        description: 'Configuration of the platform controllers: the public Gateway, certificates and ACME issuers (dist/platform of this repository)',
        sourceRepos: [platform.repoURL],
        destinations: [{ server: platform.destinationServer, namespace: platform.gateway.namespace }],
        clusterResourceWhitelist: uniqueKinds(PLATFORM_CONFIG_KINDS.cluster).map((kind) =>
          kind.group === '' && kind.kind === 'Namespace' ? { ...kind, name: platform.gateway.namespace } : kind,
        ),
        namespaceResourceWhitelist: uniqueKinds(PLATFORM_CONFIG_KINDS.namespaced),
      },
    });
  }
}
