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
  /** The Argo CD release the platform runs: the Application and AppProject CRDs of dist/argocd/. */
  argocd: z.strictObject({
    /** Exact Argo CD release (what README documents). */
    version: exactVersion,
  }),
  /** The CloudNativePG operator (and its CRDs) as a Helm chart. */
  cloudnativePg: operatorChartSchema,
  /** Gateway API CRDs (standard channel). */
  gatewayApiCrds: gitManifestsSchema,
  /** Prometheus Operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule, ...). */
  prometheusOperatorCrds: gitManifestsSchema,
  /** The CloudNativePG Barman Cloud plugin (ObjectStore CRD, WAL archiving and backups) as a Helm chart. */
  barmanCloudPlugin: z.strictObject({
    ...helmChartFields,
    /**
     * The plugin release whose images (plugin and instance sidecar) the chart runs, set as
     * their tags; the cluster tests install the ObjectStore CRD from its Go module.
     */
    pluginVersion: exactVersion,
  }),
});

/** What environments/platform.ts provides (defaults may be left out). */
export type PlatformInput = z.input<typeof platformSchema>;
/** The validated platform configuration with every default applied. */
export type PlatformConfig = z.output<typeof platformSchema>;
