// Applications for what the environments need from the platform, each pinned to one exact
// upstream version: the Gateway API and Prometheus Operator CRDs (plain manifests at a Git
// tag) and the CloudNativePG operator (a Helm chart version). None carries the cascade
// finalizer and none prunes: deleting a CRD deletes every object of that kind in the
// cluster, databases included, so removing a platform component is a deliberate manual act.
import { Construct } from 'constructs';
import type { PlatformConfig } from '../../environments/platform-schema';
import { Application } from '../imports/argoproj.io';
import { BARMAN_CLOUD_PLUGIN_KINDS, BarmanCloudPlugin } from './barman-cloud-plugin';
import { SYNC_WAVE_ANNOTATION } from './sync-waves';
import { RootWave, syncPolicy } from './sync-policy';

export interface PlatformApplicationsProps {
  /** The validated platform configuration. */
  readonly platform: PlatformConfig;
  /** AppProject of the platform Applications. */
  readonly project: string;
}

/** Objects a platform component installs, by API group and kind (for its AppProject). */
export interface ResourceKind {
  readonly group: string;
  readonly kind: string;
}

const CRD: ResourceKind = { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' };

/** What the pinned platform versions install, read from their sources at those versions. */
export const PLATFORM_KINDS = {
  /** cloudnative-pg chart 0.29.0 with default values (clusterWide: true, no PodMonitor). */
  cloudnativePg: {
    cluster: [
      CRD,
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
      { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
    ],
    namespaced: [
      { group: '', kind: 'ConfigMap' },
      { group: '', kind: 'Service' },
      { group: '', kind: 'ServiceAccount' },
      { group: 'apps', kind: 'Deployment' },
    ],
  },
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
  barmanCloudPlugin: BARMAN_CLOUD_PLUGIN_KINDS,
} as const satisfies Record<string, { cluster: readonly ResourceKind[]; namespaced: readonly ResourceKind[] }>;

export class PlatformApplications extends Construct {
  public readonly cloudnativePg: Application;
  public readonly gatewayApiCrds: Application;
  public readonly prometheusOperatorCrds: Application;
  public readonly barmanCloudPlugin: Application;

  constructor(scope: Construct, id: string, props: PlatformApplicationsProps) {
    super(scope, id);
    const { platform, project } = props;
    const server = platform.destinationServer;
    const wave = (value: number) => ({ [SYNC_WAVE_ANNOTATION]: String(value) });
    // CRDs of these sizes exceed the 256 KiB last-applied annotation of client-side apply.
    const crdSync = syncPolicy({ automated: true, prune: false, selfHeal: true, syncOptions: ['ServerSideApply=true'] });

    this.gatewayApiCrds = new Application(this, 'GatewayApiCrds', {
      metadata: { name: 'gateway-api-crds', annotations: wave(RootWave.crds) },
      spec: {
        project,
        source: { repoUrl: platform.gatewayApiCrds.repoURL, targetRevision: platform.gatewayApiCrds.version, path: platform.gatewayApiCrds.path },
        destination: { server, namespace: platform.gatewayApiCrds.namespace },
        syncPolicy: crdSync,
      },
    });

    this.prometheusOperatorCrds = new Application(this, 'PrometheusOperatorCrds', {
      metadata: { name: 'prometheus-operator-crds', annotations: wave(RootWave.crds) },
      spec: {
        project,
        source: {
          repoUrl: platform.prometheusOperatorCrds.repoURL,
          targetRevision: platform.prometheusOperatorCrds.version,
          path: platform.prometheusOperatorCrds.path,
        },
        destination: { server, namespace: platform.prometheusOperatorCrds.namespace },
        syncPolicy: crdSync,
      },
    });

    const cnpg = platform.cloudnativePg;
    this.cloudnativePg = new Application(this, 'CloudnativePg', {
      metadata: { name: 'cloudnative-pg', annotations: wave(RootWave.operators) },
      spec: {
        project,
        source: { repoUrl: cnpg.repoURL, chart: cnpg.chart, targetRevision: cnpg.version, helm: { releaseName: 'cnpg' } },
        destination: { server, namespace: cnpg.namespace },
        syncPolicy: syncPolicy({
          automated: true,
          prune: false,
          selfHeal: true,
          syncOptions: ['CreateNamespace=true', 'ServerSideApply=true', 'RespectIgnoreDifferences=true'],
        }),
        // The operator injects its own CA into the webhook configurations at runtime;
        // self-heal must not strip it again.
        ignoreDifferences: [
          { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
          { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', jqPathExpressions: ['.webhooks[]?.clientConfig.caBundle'] },
        ],
      },
    });

    this.barmanCloudPlugin = new BarmanCloudPlugin(this, 'BarmanCloudPlugin', { plugin: platform.barmanCloudPlugin, project, server }).application;
  }
}
