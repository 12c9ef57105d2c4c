// The platform under the environments, in the layers of flux2-kustomize-helm-example, each a
// sync wave of the root app-of-apps gated on the previous one being Healthy:
//   crds         Gateway API, Prometheus Operator and Envoy Gateway CRDs
//   controllers  Argo CD itself, cert-manager, Envoy Gateway, CloudNativePG, metrics-server,
//                kube-prometheus-stack
//   configs      dist/platform/: GatewayClass, Gateway, certificates, ACME issuers; and the
//                CloudNativePG Barman Cloud plugin, which needs cert-manager and the operator
// Every source is pinned to one exact upstream version (environments/platform.ts). None
// carries the cascade finalizer and none prunes: deleting a CRD deletes every object of
// that kind in the cluster, databases included, so removing a component is a manual act.
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../environments/platform-schema';
import { Application } from '../imports/argoproj.io';
import { PLATFORM_CONFIGS_FOLDER } from '../platform/platform-configs-chart';
import { ARGOCD_CM_DATA } from './argocd-settings';
import { HelmApplication } from './helm-application';
import {
  certManagerValues,
  envoyGatewayCrdsValues,
  envoyGatewayValues,
  kubePrometheusStackValues,
  metricsServerValues,
  RESTRICTED_NAMESPACE,
} from './platform-values';
import { SelfManagedArgoCd } from './self-managed-argocd';
import { BARMAN_CLOUD_PLUGIN_KINDS, BarmanCloudPlugin } from './barman-cloud-plugin';
import { SYNC_WAVE_ANNOTATION } from './sync-waves';
import { RootWave, syncPolicy } from './sync-policy';

export interface PlatformApplicationsProps {
  /** The validated platform configuration. */
  readonly platform: PlatformConfig;
  /** AppProject of the CRD and controller Applications. */
  readonly project: string;
  /** AppProject of the configs Application (this repository's dist/platform/ only). */
  readonly configsProject: string;
}

/** Objects a platform component installs, by API group and kind (for its AppProject). */
export interface ResourceKind {
  readonly group: string;
  readonly kind: string;
}

const CRD: ResourceKind = { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' };
const rbac = (kind: string): ResourceKind => ({ group: 'rbac.authorization.k8s.io', kind });
const core = (kind: string): ResourceKind => ({ group: '', kind });
const apps = (kind: string): ResourceKind => ({ group: 'apps', kind });
const webhooks = [
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
];
const basics = [core('ConfigMap'), core('Secret'), core('Service'), core('ServiceAccount'), apps('Deployment'), rbac('Role'), rbac('RoleBinding')];

/**
 * What each pinned component installs with this repository's values. The components whose
 * source is a Go module are rendered by the cluster tests, which fail on a kind missing here;
 * kube-prometheus-stack's list is read from its chart source at 88.3.0 (and its subcharts').
 */
export const PLATFORM_KINDS = {
  /** gateway-api v1.6.1 config/crd/standard: the CRDs and the safe-upgrades admission policy. */
  gatewayApiCrds: {
    cluster: [
      CRD,
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicy' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingAdmissionPolicyBinding' },
    ],
    namespaced: [],
  },
  /** prometheus-operator v0.93.0 example/prometheus-operator-crd: CRDs only. */
  prometheusOperatorCrds: { cluster: [CRD], namespaced: [] },
  envoyGatewayCrds: { cluster: [CRD], namespaced: [] },
  /** Argo CD's manifests/cluster-install. */
  argocd: {
    cluster: [CRD, rbac('ClusterRole'), rbac('ClusterRoleBinding')],
    namespaced: [...basics, apps('StatefulSet'), { group: 'networking.k8s.io', kind: 'NetworkPolicy' }],
  },
  certManager: {
    cluster: [CRD, rbac('ClusterRole'), rbac('ClusterRoleBinding'), ...webhooks],
    namespaced: [...basics, { group: 'batch', kind: 'Job' }, { group: 'policy', kind: 'PodDisruptionBudget' }, { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' }],
  },
  envoyGateway: {
    cluster: [rbac('ClusterRole'), rbac('ClusterRoleBinding')],
    namespaced: [...basics, { group: 'batch', kind: 'Job' }, { group: 'policy', kind: 'PodDisruptionBudget' }],
  },
  /** cloudnative-pg chart 0.29.0 with default values (clusterWide: true, no PodMonitor). */
  cloudnativePg: {
    cluster: [CRD, rbac('ClusterRole'), rbac('ClusterRoleBinding'), ...webhooks],
    namespaced: [core('ConfigMap'), core('Service'), core('ServiceAccount'), apps('Deployment')],
  },
  metricsServer: {
    cluster: [rbac('ClusterRole'), rbac('ClusterRoleBinding'), { group: 'apiregistration.k8s.io', kind: 'APIService' }],
    namespaced: [...basics, { group: 'policy', kind: 'PodDisruptionBudget' }],
  },
  kubePrometheusStack: {
    cluster: [rbac('ClusterRole'), rbac('ClusterRoleBinding'), ...webhooks],
    namespaced: [
      ...basics,
      apps('DaemonSet'),
      { group: 'batch', kind: 'Job' },
      { group: 'policy', kind: 'PodDisruptionBudget' },
      ...['Alertmanager', 'Prometheus', 'PrometheusRule', 'ServiceMonitor'].map((kind) => ({ group: 'monitoring.coreos.com', kind })),
    ],
  },
  barmanCloudPlugin: BARMAN_CLOUD_PLUGIN_KINDS,
} as const satisfies Record<string, { cluster: readonly ResourceKind[]; namespaced: readonly ResourceKind[] }>;

/** The platform configs' kinds (dist/platform/), for their own AppProject. */
export const PLATFORM_CONFIG_KINDS = {
  cluster: [core('Namespace'), { group: 'gateway.networking.k8s.io', kind: 'GatewayClass' }, { group: 'cert-manager.io', kind: 'ClusterIssuer' }],
  namespaced: [
    { group: 'gateway.networking.k8s.io', kind: 'Gateway' },
    { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' },
    { group: 'cert-manager.io', kind: 'Certificate' },
  ],
} as const;

/** The CA bundle a component injects into its own webhook configurations at runtime. */
const injectedCaBundles = webhooks.map((kind) => ({ ...kind, jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] }));

export class PlatformApplications extends Construct {
  public readonly gatewayApiCrds: Application;
  public readonly prometheusOperatorCrds: Application;
  public readonly envoyGatewayCrds: HelmApplication;
  public readonly argocd: SelfManagedArgoCd;
  public readonly certManager: HelmApplication;
  public readonly envoyGateway: HelmApplication;
  public readonly cloudnativePg: HelmApplication;
  public readonly metricsServer: HelmApplication;
  public readonly kubePrometheusStack: HelmApplication;
  public readonly configs: Application;
  public readonly barmanCloudPlugin: Application;

  constructor(scope: Construct, id: string, props: PlatformApplicationsProps) {
    super(scope, id);
    const { platform, project } = props;
    const server = platform.destinationServer;

    // --- CRDs -------------------------------------------------------------------------
    const gitCrds = (cid: string, name: string, source: PlatformConfig['gatewayApiCrds']) =>
      new Application(this, cid, {
        metadata: { name, annotations: { [SYNC_WAVE_ANNOTATION]: String(RootWave.crds) } },
        spec: {
          project,
          source: { repoUrl: source.repoURL, targetRevision: source.version, path: source.path },
          destination: { server, namespace: source.namespace },
          // CRDs of these sizes exceed the 256 KiB last-applied annotation of client-side apply.
          syncPolicy: syncPolicy({ automated: true, prune: false, selfHeal: true, syncOptions: ['ServerSideApply=true'] }),
        },
      });
    this.gatewayApiCrds = gitCrds('GatewayApiCrds', 'gateway-api-crds', platform.gatewayApiCrds);
    this.prometheusOperatorCrds = gitCrds('PrometheusOperatorCrds', 'prometheus-operator-crds', platform.prometheusOperatorCrds);
    const eg = platform.envoyGateway;
    this.envoyGatewayCrds = new HelmApplication(this, 'EnvoyGatewayCrds', {
      name: 'envoy-gateway-crds',
      project,
      wave: RootWave.crds,
      repoURL: eg.repoURL,
      chart: eg.crdsChart,
      version: eg.version,
      server,
      namespace: eg.namespace,
      createNamespace: { labels: RESTRICTED_NAMESPACE },
      values: envoyGatewayCrdsValues(),
    });

    // --- controllers ------------------------------------------------------------------
    this.argocd = new SelfManagedArgoCd(this, 'ArgoCd', {
      project,
      wave: RootWave.controllers,
      repoURL: platform.argocd.repoURL,
      version: platform.argocd.version,
      path: platform.argocd.path,
      server,
      namespace: platform.argocdNamespace,
      settings: ARGOCD_CM_DATA,
    });
    const controller = (cid: string, component: { repoURL: string; chart: string; version: string; namespace: string }) => ({
      name: cid,
      project,
      wave: RootWave.controllers,
      repoURL: component.repoURL,
      chart: component.chart,
      version: component.version,
      server,
      namespace: component.namespace,
    });
    this.certManager = new HelmApplication(this, 'CertManager', {
      ...controller('cert-manager', platform.certManager),
      createNamespace: { labels: RESTRICTED_NAMESPACE },
      values: certManagerValues(platform),
      ignoreDifferences: injectedCaBundles,
    });
    this.envoyGateway = new HelmApplication(this, 'EnvoyGateway', {
      ...controller('envoy-gateway', eg),
      releaseName: 'eg',
      skipCrds: true,
      createNamespace: { labels: RESTRICTED_NAMESPACE },
      values: envoyGatewayValues(),
    });
    this.cloudnativePg = new HelmApplication(this, 'CloudnativePg', {
      ...controller('cloudnative-pg', platform.cloudnativePg),
      releaseName: 'cnpg',
      // Its chart is not rendered here, so restricted is audited and warned about, not enforced.
      createNamespace: { labels: { 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted' } },
      ignoreDifferences: injectedCaBundles,
    });
    // kube-system exists everywhere; the chart's auth-reader RoleBinding must be there anyway.
    this.metricsServer = new HelmApplication(this, 'MetricsServer', {
      ...controller('metrics-server', platform.metricsServer),
      values: metricsServerValues(),
    });
    const kps = platform.kubePrometheusStack;
    this.kubePrometheusStack = new HelmApplication(this, 'KubePrometheusStack', {
      ...controller('kube-prometheus-stack', kps),
      releaseName: kps.releaseName,
      // node-exporter reads the host (hostNetwork, hostPID, hostPath): privileged.
      createNamespace: { labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
      values: kubePrometheusStackValues(platform),
      ignoreDifferences: injectedCaBundles,
    });

    // --- after the controllers: the Barman Cloud plugin needs cert-manager (its chart
    // creates a Certificate and an Issuer) and the CloudNativePG operator it extends.
    this.barmanCloudPlugin = new BarmanCloudPlugin(this, 'BarmanCloudPlugin', { plugin: platform.barmanCloudPlugin, project, server, wave: RootWave.configs }).application;

    // --- configs ----------------------------------------------------------------------
    this.configs = new Application(this, 'Configs', {
      metadata: { name: 'platform-configs', annotations: { [SYNC_WAVE_ANNOTATION]: String(RootWave.configs) } },
      spec: {
        project: props.configsProject,
        source: { repoUrl: platform.repoURL, targetRevision: platform.targetRevision, path: `${platform.distPath}/${PLATFORM_CONFIGS_FOLDER}` },
        destination: { server, namespace: platform.gateway.namespace },
        syncPolicy: syncPolicy({ automated: true, prune: true, selfHeal: true }),
      },
    });

  }
}
