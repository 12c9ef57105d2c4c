// The typed, validated shape of the platform configuration: which Git repository and
// revision Argo CD deploys from, where Argo CD runs, and the exact versions of the platform
// components (CRDs and operators) the environments depend on. Versions are exact: a range
// or `*` would let a chart upgrade itself underneath the environments.
import { z } from 'zod';

const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label (lower-case letters, digits, "-")');

const httpsUrl = z.string().regex(/^https:\/\/[a-z0-9.-]+(:[0-9]+)?(\/[A-Za-z0-9._~-]+)*\/?$/, 'must be an https:// URL without credentials, query or fragment');

/**
 * This repository as Argo CD clones it: https:// in production; file:// names a clone on the
 * Argo CD repo server's own disk (offline checks such as the cluster tests; Argo CD's e2e
 * fixtures do the same).
 */
const repositoryUrl = z.union([httpsUrl, z.string().regex(/^file:\/\/\/[A-Za-z0-9._~/-]+$/, 'must be an https:// URL (or file:///absolute/path for an offline clone)')], {
  error: 'must be an https:// URL without credentials, query or fragment (or file:///absolute/path for an offline clone)',
});

/** An exact release: 1.2.3 or v1.2.3 (no ranges, wildcards or pre-release floats). */
const exactVersion = z.string().regex(/^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/, 'must be an exact version such as 0.29.0 or v1.6.1 (no ranges or *)');

/** A Git branch or tag name Argo CD follows (not a wildcard or a semver range). */
const gitRevision = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]*$/, 'must be a branch, tag or commit (letters, digits, ".", "_", "/", "-")')
  .refine((revision) => !revision.includes('..') && !revision.endsWith('/'), { message: 'must be a valid Git ref name' });

const relativePath = z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'must be a relative path inside the repository, without ".." or a trailing "/"')
  .refine((p) => !p.split('/').includes('..'), { message: 'must not contain ".."' });

/** A Helm chart pinned to one version. */
const helmChartFields = {
  /** Helm repository URL. */
  repoURL: httpsUrl,
  /** Chart name in that repository. */
  chart: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a chart name'),
  /** Exact chart version. */
  version: exactVersion,
  /** Namespace the release is installed into (created by Argo CD). */
  namespace: dnsLabel,
};

/**
 * A Helm chart in an OCI registry (Argo CD's form: the registry host and repository path,
 * without the oci:// scheme), pinned to one version.
 */
const ociChartFields = {
  ...helmChartFields,
  /** Registry and repository path, e.g. docker.io/envoyproxy. */
  repoURL: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}(:[0-9]+)?(\/[a-z0-9._-]+)+$/, 'must be an OCI registry path such as docker.io/envoyproxy (no scheme)'),
};

/** A component installed by its Helm chart, and which module holds that chart's source. */
const componentChartSchema = z.strictObject({
  ...helmChartFields,
  /**
   * Go module (path@version) whose tree holds this chart's source at exactly this version,
   * rendered by the cluster tests with `helm template` and this repository's values.
   * @default none: the chart's source is not in a Go module and is not rendered here
   */
  chartSourceModule: z.string().regex(/^[a-z0-9.-]+(\/[A-Za-z0-9._-]+)+@v[0-9]+\.[0-9]+\.[0-9]+$/, 'must be module@vX.Y.Z').optional(),
});

const email = z.string().regex(/^[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}$/, 'must be an e-mail address');

/** An operator installed by its Helm chart. */
const operatorChartSchema = z.strictObject({
  ...helmChartFields,
  /**
   * The operator release that chart version ships (the chart's appVersion). The cluster tests
   * install the CRDs from the operator's Go module at exactly this version, so a chart bump
   * without it (or the reverse) shows up as a difference between the two.
   */
  appVersion: exactVersion,
});

/** A folder of plain manifests in an upstream Git repository, pinned to a release tag. */
const gitManifestsSchema = z.strictObject({
  /** Git repository URL. */
  repoURL: httpsUrl,
  /** Release tag (exact). */
  version: exactVersion,
  /** Folder holding the manifests at that tag. */
  path: relativePath,
  /**
   * Namespace the Application is homed in. The folder holds cluster-scoped objects only,
   * but Argo CD requires a destination namespace its project permits.
   */
  namespace: dnsLabel,
});

export const platformSchema = z.strictObject({
  /** This repository, as Argo CD clones it. The only source the ecodata projects allow. */
  repoURL: repositoryUrl,
  /** Branch (or tag) of this repository Argo CD deploys. */
  targetRevision: gitRevision,
  /** Folder of this repository holding the rendered manifests. @default 'dist' */
  distPath: relativePath.default('dist'),
  /** Namespace Argo CD runs in (Applications and AppProjects live there). */
  argocdNamespace: dnsLabel.default('argocd'),
  /** API server of the cluster the environments run in, as registered in Argo CD. */
  destinationServer: httpsUrl.default('https://kubernetes.default.svc'),
  /**
   * Argo CD itself, managed by Argo CD once bootstrapped: the upstream install manifests at
   * the release tag (kustomize), patched with this repository's argocd-cm. Its CRDs are what
   * dist/argocd/ is validated against.
   */
  argocd: z.strictObject({
    /** Exact Argo CD release (what README documents). */
    version: exactVersion,
    /** Argo CD's Git repository. @default 'https://github.com/argoproj/argo-cd.git' */
    repoURL: httpsUrl.default('https://github.com/argoproj/argo-cd.git'),
    /** Kustomize folder at that tag: the cluster-wide install. @default 'manifests/cluster-install' */
    path: relativePath.default('manifests/cluster-install'),
  }),
  /** The CloudNativePG operator (and its CRDs) as a Helm chart. */
  cloudnativePg: operatorChartSchema,
  /** Gateway API CRDs (standard channel). */
  gatewayApiCrds: gitManifestsSchema,
  /** Prometheus Operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule, ...). */
  prometheusOperatorCrds: gitManifestsSchema,
  /** cert-manager with its CRDs and Gateway API support (certificates for the Gateway's listeners). */
  certManager: componentChartSchema,
  /**
   * Envoy Gateway: the Gateway API implementation. `chart` installs the controller (without
   * CRDs), `crdsChart` its own CRDs only (the Gateway API CRDs come from gatewayApiCrds).
   */
  envoyGateway: z.strictObject({
    ...ociChartFields,
    /** Chart of Envoy Gateway's CRDs, same registry and version. */
    crdsChart: helmChartFields.chart,
    /** @default module github.com/envoyproxy/gateway at `version` */
    chartSourceModule: componentChartSchema.shape.chartSourceModule,
  }),
  /** metrics-server: the resource metrics API the HorizontalPodAutoscalers read. */
  metricsServer: componentChartSchema,
  /**
   * kube-prometheus-stack: Prometheus, Alertmanager, Grafana, kube-state-metrics and
   * node-exporter, run by the Prometheus Operator. Its CRDs stay off (prometheusOperatorCrds
   * owns them), so `appVersion` (the operator release it ships) must equal that version.
   */
  kubePrometheusStack: operatorChartSchema.extend({
    /** Helm release name; the `release` label its Prometheus selects monitors and rules by. */
    releaseName: dnsLabel,
  }),
  /** The shared public Gateway every environment's HTTPRoute attaches to. */
  gateway: z.strictObject({
    /** Gateway name. */
    name: dnsLabel,
    /** Namespace of the Gateway and (Envoy Gateway in GatewayNamespace mode) of its proxy pods. */
    namespace: dnsLabel,
    /** GatewayClass name (Envoy Gateway's controller). */
    className: dnsLabel,
  }),
  /** TLS certificates from ACME (Let's Encrypt), solved with HTTP-01 through the Gateway. */
  tls: z.strictObject({
    /** E-mail the ACME account is registered with (expiry and policy notices). */
    acmeEmail: email,
    /** ClusterIssuers by name: the ACME directory each uses. */
    issuers: z
      .record(dnsLabel, z.strictObject({ server: httpsUrl }))
      .refine((issuers) => Object.keys(issuers).length > 0, { message: 'must name at least one issuer' }),
  }),
  /** Where alerts go: a webhook whose URL is read from a Secret created out of band. */
  alerting: z.strictObject({
    /** Secret (in the monitoring namespace) whose key `url` holds the webhook URL. */
    receiverSecret: dnsLabel,
  }),
  /** Grafana's admin credentials: a Secret created out of band (keys admin-user, admin-password). */
  grafana: z.strictObject({ adminSecret: dnsLabel }),
  /** The CloudNativePG Barman Cloud plugin (ObjectStore CRD, WAL archiving and backups) as a Helm chart. */
  barmanCloudPlugin: z.strictObject({
    ...helmChartFields,
    /**
     * The plugin release whose images (plugin and instance sidecar) the chart runs, set as
     * their tags; the cluster tests install the ObjectStore CRD from its Go module.
     */
    pluginVersion: exactVersion,
  }),
}).superRefine((platform, context) => {
  if (platform.kubePrometheusStack.appVersion !== platform.prometheusOperatorCrds.version) {
    context.addIssue({
      code: 'custom',
      path: ['kubePrometheusStack', 'appVersion'],
      message: `must equal prometheusOperatorCrds.version (${platform.prometheusOperatorCrds.version}): the stack's operator reads the CRDs that Application installs`,
    });
  }
});

/** What environments/platform.ts provides (defaults may be left out). */
export type PlatformInput = z.input<typeof platformSchema>;
/** The validated platform configuration with every default applied. */
export type PlatformConfig = z.output<typeof platformSchema>;
