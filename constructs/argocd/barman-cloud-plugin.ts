// The CloudNativePG Barman Cloud plugin (CNPG-I) as a platform Application: its Helm chart
// from the CloudNativePG charts repository, with the plugin and sidecar images pinned to one
// plugin release. It installs the ObjectStore CRD, the plugin Deployment and Service, and
// cert-manager Certificates for the mTLS between the operator and the plugin, so cert-manager
// must be running (and the CloudNativePG operator, whose Cluster and Backup kinds it
// watches) before it syncs. Like the other platform Applications it never prunes and has no
// cascade finalizer: deleting the CRD would delete every ObjectStore.
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../environments/platform-schema';
import type { Application } from '../imports/argoproj.io';
import { HelmApplication } from './helm-application';
import type { ResourceKind } from './platform-applications';
import { RootWave } from './sync-policy';

/**
 * What chart plugin-barman-cloud 0.7.0 installs with default values (templates/ at that
 * release: crds, rbac, additional-rbac/leader_election, configmap, deployment, service,
 * certificate-issuer, client- and server-certificate).
 */
export const BARMAN_CLOUD_PLUGIN_KINDS = {
  cluster: [
    { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  ],
  namespaced: [
    { group: '', kind: 'ConfigMap' },
    { group: '', kind: 'Service' },
    { group: '', kind: 'ServiceAccount' },
    { group: 'apps', kind: 'Deployment' },
    { group: 'cert-manager.io', kind: 'Certificate' },
    { group: 'cert-manager.io', kind: 'Issuer' },
    { group: 'rbac.authorization.k8s.io', kind: 'Role' },
    { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  ],
} as const satisfies { cluster: readonly ResourceKind[]; namespaced: readonly ResourceKind[] };

export interface BarmanCloudPluginProps {
  /** The chart, its version, the plugin release and the namespace (environments/platform.ts). */
  readonly plugin: PlatformConfig['barmanCloudPlugin'];
  /** AppProject of the Application. */
  readonly project: string;
  /** API server of the destination cluster. */
  readonly server: string;
  /**
   * Sync wave in the root app. @default RootWave.configs: after the controllers wave, since the
   * plugin's chart creates cert-manager Certificates and an Issuer and joins the CNPG operator.
   */
  readonly wave?: number;
}

export class BarmanCloudPlugin extends Construct {
  public readonly application: Application;

  constructor(scope: Construct, id: string, props: BarmanCloudPluginProps) {
    super(scope, id);
    const { plugin } = props;
    this.application = new HelmApplication(this, 'Helm', {
      name: 'barman-cloud-plugin',
      project: props.project,
      wave: props.wave ?? RootWave.configs,
      repoURL: plugin.repoURL,
      chart: plugin.chart,
      version: plugin.version,
      server: props.server,
      namespace: plugin.namespace,
      releaseName: 'plugin-barman-cloud',
      // The operator's namespace: created if missing, its labels left to the operator's Application.
      createNamespace: {},
      // The chart's appVersion is older than the plugin release pinned; both images follow it.
      values: { image: { tag: plugin.pluginVersion }, sidecarImage: { tag: plugin.pluginVersion } },
    }).application;
  }
}
