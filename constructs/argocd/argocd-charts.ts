// Argo CD objects of the whole delivery, in two folders of dist/argocd/:
//   bootstrap/  applied once by hand (`kubectl apply -f dist/argocd/bootstrap/`): the root
//               Application and the AppProject it runs in;
//   apps/       what the root Application syncs: the AppProjects, one Application per
//               environment (dist/<env>), the pinned platform Applications and the one
//               syncing the platform's configs (dist/platform/).
// The root app syncs apps/ only, never bootstrap/, so it does not manage itself: deleting
// or breaking it in git cannot cascade into every environment.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../environments/platform-schema';
import type { EnvironmentConfig } from '../../environments/schema';
import { Application, AppProject } from '../imports/argoproj.io';
import { EnvironmentApplication } from './environment-application';
import { PlatformApplications, type ResourceKind } from './platform-applications';
import { checkEnvironmentsAgainstPlatform } from './environment-platform-check';
import { EnvironmentsProject, PlatformConfigsProject, PlatformProject } from './projects';
import { syncPolicy } from './sync-policy';

/** Folders (under the output folder) of the two charts. */
export const ARGOCD_FOLDERS = { bootstrap: 'argocd/bootstrap', apps: 'argocd/apps' } as const;

export interface ArgoCdAppsChartProps {
  /** The validated platform configuration. */
  readonly platform: PlatformConfig;
  /** Every environment, validated, in promotion order. */
  readonly environments: readonly EnvironmentConfig[];
  /** Kinds found in the environments' rendered manifests, split by scope. */
  readonly environmentKinds: { readonly namespaced: readonly ResourceKind[]; readonly cluster: readonly ResourceKind[] };
}

export class ArgoCdAppsChart extends Chart {
  public readonly environmentsProject: EnvironmentsProject;
  public readonly platformProject: PlatformProject;
  public readonly platformConfigsProject: PlatformConfigsProject;
  public readonly environmentApplications: readonly EnvironmentApplication[];
  public readonly platformApplications: PlatformApplications;

  constructor(scope: Construct, id: string, props: ArgoCdAppsChartProps) {
    const { platform } = props;
    super(scope, id, { namespace: platform.argocdNamespace, disableResourceNameHashes: true });
    checkEnvironmentsAgainstPlatform(props.environments, platform);

    this.environmentsProject = new EnvironmentsProject(this, 'EnvironmentsProject', {
      repoURL: platform.repoURL,
      server: platform.destinationServer,
      namespaces: props.environments.map((e) => e.namespace),
      namespacedKinds: props.environmentKinds.namespaced,
      clusterKinds: props.environmentKinds.cluster,
    });
    this.platformProject = new PlatformProject(this, 'PlatformProject', { platform });
    this.platformConfigsProject = new PlatformConfigsProject(this, 'PlatformConfigsProject', { platform });

    this.environmentApplications = props.environments.map(
      (environment) =>
        new EnvironmentApplication(this, `Environment-${environment.name}`, {
          name: `ecodata-${environment.name}`,
          project: this.environmentsProject.name,
          repoURL: platform.repoURL,
          targetRevision: platform.targetRevision,
          path: `${platform.distPath}/${environment.name}`,
          server: platform.destinationServer,
          namespace: environment.namespace,
          sync: environment.sync,
        }),
    );
    this.platformApplications = new PlatformApplications(this, 'Platform', {
      platform,
      project: this.platformProject.name,
      configsProject: this.platformConfigsProject.name,
    });
  }
}

export interface ArgoCdBootstrapChartProps {
  /** The validated platform configuration. */
  readonly platform: PlatformConfig;
}

export class ArgoCdBootstrapChart extends Chart {
  public readonly project: AppProject;
  public readonly root: Application;

  constructor(scope: Construct, id: string, props: ArgoCdBootstrapChartProps) {
    const { platform } = props;
    super(scope, id, { namespace: platform.argocdNamespace, disableResourceNameHashes: true });
    const projectName = 'ecodata-bootstrap';
    // The root app may only create Applications and AppProjects in Argo CD's namespace.
    this.project = new AppProject(this, 'AppProject', {
      metadata: { name: projectName },
      spec: {
        description: 'The EcoData root app-of-apps: Argo CD objects from dist/argocd/apps of this repository',
        sourceRepos: [platform.repoURL],
        destinations: [{ server: platform.destinationServer, namespace: platform.argocdNamespace }],
        namespaceResourceWhitelist: [
          { group: 'argoproj.io', kind: 'AppProject' },
          { group: 'argoproj.io', kind: 'Application' },
        ],
      },
    });
    // No cascade finalizer: deleting the root orphans the child Applications instead of
    // deleting every environment with it.
    this.root = new Application(this, 'Root', {
      metadata: { name: 'ecodata-root' },
      spec: {
        project: projectName,
        source: { repoUrl: platform.repoURL, targetRevision: platform.targetRevision, path: `${platform.distPath}/${ARGOCD_FOLDERS.apps}` },
        destination: { server: platform.destinationServer, namespace: platform.argocdNamespace },
        syncPolicy: syncPolicy({ automated: true, prune: true, selfHeal: true }),
      },
    });
  }
}
