// The platform under the environments: the repository Argo CD deploys from and the pinned
// versions of the operators and CRDs the manifests need. Rendered into dist/argocd/.
import type { PlatformInput } from './platform-schema';

export const platform: PlatformInput = {
  // Forks: change this to your repository; nothing else in dist/argocd/ names it.
  repoURL: 'https://github.com/ecodata/ecodata-gitops.git',
  targetRevision: 'main',
  // Installed by hand before the bootstrap (README, "Bootstrap"), then managed by its own
  // Application from the same release's manifests; its CRDs are what dist/argocd/ is
  // validated against.
  argocd: { version: 'v3.5.1' },
  cloudnativePg: {
    repoURL: 'https://cloudnative-pg.github.io/charts',
    chart: 'cloudnative-pg',
    // Chart 0.29.0 ships operator 1.30.0 (its appVersion), whose CRDs the cluster tests install.
    version: '0.29.0',
    appVersion: '1.30.0',
    namespace: 'cnpg-system',
  },
  gatewayApiCrds: {
    repoURL: 'https://github.com/kubernetes-sigs/gateway-api.git',
    // Standard channel only: the HTTPRoute fields the environments use are GA.
    version: 'v1.6.1',
    path: 'config/crd/standard',
    namespace: 'gateway',
  },
  prometheusOperatorCrds: {
    repoURL: 'https://github.com/prometheus-operator/prometheus-operator.git',
    // The CRDs only (no operator): whichever Prometheus the platform runs reads them. The
    // cluster tests install the same folder from the same release.
    version: 'v0.93.0',
    path: 'example/prometheus-operator-crd',
    namespace: 'monitoring',
  },
  certManager: {
    repoURL: 'https://charts.jetstack.io',
    chart: 'cert-manager',
    version: 'v1.21.2',
    namespace: 'cert-manager',
    chartSourceModule: 'github.com/cert-manager/cert-manager@v1.21.2',
  },
  envoyGateway: {
    // Envoy Gateway publishes its charts to an OCI registry only.
    repoURL: 'docker.io/envoyproxy',
    chart: 'gateway-helm',
    crdsChart: 'gateway-crds-helm',
    // Built against Gateway API v1.6.1, the gatewayApiCrds version above.
    version: 'v1.9.1',
    namespace: 'envoy-gateway-system',
    chartSourceModule: 'github.com/envoyproxy/gateway@v1.9.1',
  },
  metricsServer: {
    repoURL: 'https://kubernetes-sigs.github.io/metrics-server/',
    chart: 'metrics-server',
    // The chart source in the v0.8.0 module tree is chart 3.12.2 (it ships metrics-server 0.7.2).
    version: '3.12.2',
    namespace: 'kube-system',
    chartSourceModule: 'sigs.k8s.io/metrics-server@v0.8.0',
  },
  kubePrometheusStack: {
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    // 88.3.0 ships prometheus-operator v0.93.0, the CRD version above. Its source is not a Go
    // module, so it is not rendered here (README, "Bootstrap").
    version: '88.3.0',
    appVersion: 'v0.93.0',
    namespace: 'monitoring',
    releaseName: 'kube-prometheus-stack',
  },
  gateway: { name: 'public', namespace: 'gateway', className: 'envoy' },
  tls: {
    // Forks: the address Let's Encrypt writes to about expiring certificates.
    acmeEmail: 'platform-team@ecodata.example.com',
    issuers: {
      'letsencrypt': { server: 'https://acme-v02.api.letsencrypt.org/directory' },
      // Untrusted certificates, generous rate limits: for hosts nobody outside the team uses.
      'letsencrypt-staging': { server: 'https://acme-staging-v02.api.letsencrypt.org/directory' },
    },
  },
  // Created out of band (README, "Bootstrap"): nothing secret is in git.
  alerting: { receiverSecret: 'alertmanager-receiver' },
  grafana: { adminSecret: 'grafana-admin' },
  barmanCloudPlugin: {
    repoURL: 'https://cloudnative-pg.github.io/charts',
    chart: 'plugin-barman-cloud',
    // Chart 0.7.0 defaults to plugin v0.13.0; its Application sets the image tags to
    // pluginVersion. Its ObjectStore CRD and ClusterRole were compared with the plugin's
    // module at v0.15.0 (config/crd/bases, config/rbac/role.yaml): same schema and rules.
    version: '0.7.0',
    // v0.15.0 runs Barman 3.20 (the drill runs 3.19.1: 3.20 needs Python 3.12, Debian 12 has 3.11).
    pluginVersion: 'v0.15.0',
    // The plugin must run in the operator's namespace (its install docs).
    namespace: 'cnpg-system',
  },
};
