// Helm values of the platform charts, built from environments/platform.ts. Each function
// states only what differs from the chart's defaults, and why. The charts whose source is in
// a Go module (cert-manager, Envoy Gateway, metrics-server) are rendered with exactly these
// values by the cluster tests (test/cluster/platform-charts.test.ts).
import type { PlatformConfig } from '../../environments/platform-schema';
import { GRAFANA_DASHBOARD_LABEL, GRAFANA_FOLDER_ANNOTATION } from '../monitoring/grafana-dashboard';

/** Restricted Pod Security for a namespace whose pods all comply. */
export const RESTRICTED_NAMESPACE = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
} as const;

/** The `release` label the monitoring stack's Prometheus selects monitors and rules by. */
export function monitoringSelectorLabels(platform: PlatformConfig): Record<string, string> {
  return { release: platform.kubePrometheusStack.releaseName };
}

/** Two replicas spread by the scheduler, a PDB: a node drain never stops the component. */
const highlyAvailable = { replicaCount: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } };

export function certManagerValues(platform: PlatformConfig): Record<string, unknown> {
  return {
    // The chart installs its CRDs (off by default) and keeps them on uninstall.
    crds: { enabled: true, keep: true },
    ...highlyAvailable,
    webhook: highlyAvailable,
    cainjector: highlyAvailable,
    // Certificates for Gateway listeners and ACME HTTP-01 through an HTTPRoute.
    config: { apiVersion: 'controller.config.cert-manager.io/v1alpha1', kind: 'ControllerConfiguration', enableGatewayAPI: true },
    prometheus: { enabled: true, servicemonitor: { enabled: true, labels: monitoringSelectorLabels(platform) } },
  };
}

export function envoyGatewayValues(): Record<string, unknown> {
  return {
    // The Gateway API CRDs come from their own Application; Envoy Gateway's from the CRDs chart.
    crds: { enabled: false },
    config: {
      envoyGateway: {
        gateway: { controllerName: ENVOY_GATEWAY_CONTROLLER },
        // Proxies run in each Gateway's namespace, not the controller's: the environments'
        // NetworkPolicies admit the proxies of the platform Gateway's namespace only.
        provider: { type: 'Kubernetes', kubernetes: { deploy: { type: 'GatewayNamespace' } } },
      },
    },
    deployment: { replicas: 2 },
    podDisruptionBudget: { minAvailable: 1 },
  };
}

/** Envoy Gateway's CRDs only (its CRDs chart, Gateway API's left to their own Application). */
export function envoyGatewayCrdsValues(): Record<string, unknown> {
  return { crds: { gatewayAPI: { enabled: false }, envoyGateway: { enabled: true } } };
}

/** The GatewayClass controller name Envoy Gateway answers to. */
export const ENVOY_GATEWAY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';

export function metricsServerValues(): Record<string, unknown> {
  return { replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 } };
}

/** Where Alertmanager finds the receiver's webhook URL: the Secret mounted by alertmanagerSpec.secrets. */
export function alertmanagerUrlFile(platform: PlatformConfig): string {
  return `/etc/alertmanager/secrets/${platform.alerting.receiverSecret}/url`;
}

export function kubePrometheusStackValues(platform: PlatformConfig): Record<string, unknown> {
  const selectorLabels = monitoringSelectorLabels(platform);
  // Every namespace, by the release label: the stack's own monitors carry it (chart default)
  // and so do every environment's (environments/schema.ts `monitoring.labels`).
  const selected = (kind: 'serviceMonitor' | 'podMonitor' | 'rule') => ({
    [`${kind}Selector`]: { matchLabels: selectorLabels },
    [`${kind}NamespaceSelector`]: {},
  });
  return {
    // prometheusOperatorCrds owns the CRDs, at the operator version this chart ships.
    crds: { enabled: false },
    prometheus: {
      prometheusSpec: {
        ...selected('serviceMonitor'),
        ...selected('podMonitor'),
        ...selected('rule'),
        retention: '15d',
        replicas: 2,
        storageSpec: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } } },
      },
    },
    alertmanager: {
      alertmanagerSpec: { replicas: 2, secrets: [platform.alerting.receiverSecret] },
      config: {
        route: {
          receiver: 'default',
          // One notification per alert and environment (namespace) at a time.
          group_by: ['alertname', 'namespace'],
          routes: [{ receiver: 'null', matchers: ['alertname = "Watchdog"'] }],
        },
        receivers: [{ name: 'null' }, { name: 'default', webhook_configs: [{ url_file: alertmanagerUrlFile(platform), send_resolved: true }] }],
      },
    },
    grafana: {
      // No default password: the admin credentials come from a Secret created out of band.
      admin: { existingSecret: platform.grafana.adminSecret },
      sidecar: {
        dashboards: {
          enabled: true,
          label: GRAFANA_DASHBOARD_LABEL,
          labelValue: '1',
          searchNamespace: 'ALL',
          // Each environment's dashboard in a folder of its namespace (constructs/monitoring).
          folderAnnotation: GRAFANA_FOLDER_ANNOTATION,
          provider: { foldersFromFilesStructure: true },
        },
      },
    },
  };
}
