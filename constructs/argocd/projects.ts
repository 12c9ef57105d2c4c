// The AppProjects the root app manages, each allowing exactly what its Applications deploy:
// `ecodata` (the environments) may only read this repository and write the environment
// namespaces; `ecodata-platform` may only read the pinned upstream sources and write the
// platform namespaces and the cluster-scoped kinds those components install.
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../environments/platform-schema';
import { AppProject } from '../imports/argoproj.io';
import { PLATFORM_KINDS, type ResourceKind } from './platform-applications';
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

export class PlatformProject extends Construct {
  public readonly name: string;
  public readonly project: AppProject;

  constructor(scope: Construct, id: string, props: PlatformProjectProps) {
    super(scope, id);
    this.name = props.name ?? 'ecodata-platform';
    const { platform } = props;
    const components = [platform.cloudnativePg, platform.gatewayApiCrds, platform.prometheusOperatorCrds, platform.barmanCloudPlugin];
    const namespaces = [...new Set(components.map((c) => c.namespace))].sort();
    const kinds = Object.values(PLATFORM_KINDS);
    this.project = new AppProject(this, 'AppProject', {
      metadata: { name: this.name, annotations: { [SYNC_WAVE_ANNOTATION]: String(RootWave.projects) } },
      spec: {
        description: 'Platform components the EcoData environments need (CRDs, operators), pinned to exact upstream versions',
        sourceRepos: [...new Set(components.map((c) => c.repoURL))].sort(),
        destinations: namespaces.map((namespace) => ({ server: platform.destinationServer, namespace })),
        clusterResourceWhitelist: [
          ...uniqueKinds(kinds.flatMap((k) => [...k.cluster])),
          // CreateNamespace=true of the operator's Application.
          { group: '', kind: 'Namespace', name: platform.cloudnativePg.namespace },
        ],
        namespaceResourceWhitelist: uniqueKinds(kinds.flatMap((k) => [...k.namespaced])),
      },
    });
  }
}
