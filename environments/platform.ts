// The platform under the environments: the repository Argo CD deploys from and the pinned
// versions of the operators and CRDs the manifests need. Rendered into dist/argocd/.
import type { PlatformInput } from './platform-schema';

export const platform: PlatformInput = {
  // Forks: change this to your repository; nothing else in dist/argocd/ names it.
  repoURL: 'https://github.com/ecodata/ecodata-gitops.git',
  targetRevision: 'main',
  // Installed by hand before the bootstrap (README, "Bootstrap"); its CRDs are what
  // dist/argocd/ is validated against.
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
