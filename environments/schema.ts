// The typed, validated shape of one environment. Environment files (dev.ts, test.ts, prod.ts)
// hold only what differs; everything else gets a documented default here. Validation runs at
// synth time so a bad value fails with the environment and the field in the message.
import { z } from 'zod';
import { authSchema } from './auth-schema';
import { backupSchema, restoreSchema } from './backup-schema';

/** Kubernetes DNS-1123 label: lower-case alphanumerics and '-', at most 63 characters. */
const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label (lower-case letters, digits, "-")');

const hostname = z
  .string()
  .max(253)
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must be a lower-case DNS host name such as dev.ecodata.example.com');

const positiveInt = z.number().int().positive();

/** Name of an environment's Cluster until a restore gives it a new one. */
export const DEFAULT_DATABASE_NAME = 'database';

/** CPU in millicores and memory in MiB, so limits can be compared with requests numerically. */
const computeSchema = z.strictObject({
  cpuMillis: positiveInt,
  memoryMiB: positiveInt,
});

export const resourcesSchema = z
  .strictObject({
    requests: computeSchema,
    limits: computeSchema,
  })
  .refine((r) => r.limits.cpuMillis >= r.requests.cpuMillis, {
    message: 'limits.cpuMillis must be >= requests.cpuMillis',
    path: ['limits', 'cpuMillis'],
  })
  .refine((r) => r.limits.memoryMiB >= r.requests.memoryMiB, {
    message: 'limits.memoryMiB must be >= requests.memoryMiB',
    path: ['limits', 'memoryMiB'],
  });

export const autoscalingSchema = z
  .strictObject({
    minReplicas: positiveInt,
    maxReplicas: positiveInt,
    /** Average CPU utilisation (percent of the request) the HPA aims for. */
    targetCpuUtilizationPercent: z.number().int().min(1).max(100).default(70),
  })
  .refine((a) => a.minReplicas <= a.maxReplicas, {
    message: 'minReplicas must be <= maxReplicas',
    path: ['minReplicas'],
  });

const webServiceSchema = z.strictObject({
  /** Fixed replica count; ignored (and rejected) when autoscaling is set. */
  replicas: positiveInt.optional(),
  autoscaling: autoscalingSchema.optional(),
  resources: resourcesSchema,
});

/** A Prometheus duration such as 30s, 5m or 1h. */
const promDuration = z.string().regex(/^[1-9][0-9]*(s|m|h)$/, 'must be a duration such as 30s, 15m or 1h');
const ratio = z.number().gt(0).lt(1);

/** Alert thresholds; documented per alert in docs/runbooks/. */
export const alertThresholdsSchema = z.strictObject({
  /** ApiHighErrorRatio: share of API responses that are 5xx over 5 minutes. */
  apiErrorRatio: ratio.default(0.05),
  /** ApiHighLatencyP99: p99 API latency in seconds over 5 minutes. */
  apiLatencyP99Seconds: z.number().positive().default(1),
  /** HpaAtMaxReplicas: how long an HPA may sit at maxReplicas. */
  hpaAtMaxFor: promDuration.default('15m'),
  /** DatabaseReplicationLag: seconds a standby may lag behind the primary. */
  replicationLagSeconds: z.number().positive().default(30),
  /** DatabaseConnectionsSaturated: share of max_connections in use. */
  connectionSaturationRatio: ratio.default(0.8),
  /** DatabaseStorageNearlyFull: share of a PostgreSQL volume in use. */
  storageUsedRatio: ratio.default(0.85),
  /** DatabaseBackupTooOld: hours since the newest base backup (a daily schedule plus slack). */
  backupMaxAgeHours: z.number().positive().default(26),
});

/** Label names and values as Kubernetes accepts them on objects. */
const labelMap = z.record(
  z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'must be a Kubernetes label name'),
  z.string().regex(/^(|[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/, 'must be a Kubernetes label value').max(63),
);

export const monitoringSchema = z.strictObject({
  /** Repository whose docs/runbooks/ every alert's runbook_url points into. */
  repositoryUrl: z.url({ protocol: /^https$/ }).default('https://github.com/ecodata/ecodata-gitops'),
  /** Scrape interval of the ServiceMonitors and the PodMonitor. */
  scrapeInterval: promDuration.default('30s'),
  /** Labels on the ServiceMonitors, PodMonitor and PrometheusRule, e.g. the `release` a kube-prometheus-stack Prometheus selects on. */
  labels: labelMap.default({ release: 'kube-prometheus-stack' }),
  /** Regular expression matching the names of database migration Jobs (MigrationJobFailed). */
  migrationJobPattern: z
    .string()
    .min(1)
    .refine((pattern) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    }, 'must be a regular expression')
    .default('.*migrat.*'),
  alerts: alertThresholdsSchema.prefault({}),
});

const withReplicasOrAutoscaling = <T extends z.ZodType<{ replicas?: number; autoscaling?: unknown }>>(schema: T) =>
  schema.refine((s) => (s.replicas === undefined) !== (s.autoscaling === undefined), {
    message: 'set exactly one of replicas or autoscaling',
    path: ['replicas'],
  });

export const environmentSchema = z.strictObject({
  /** Environment name; also the folder under dist/. */
  name: dnsLabel,
  /** Namespace all objects of the environment live in. */
  namespace: dnsLabel,
  /** Public host name routed to the front. */
  host: hostname,
  /**
   * The platform's Gateway (environments/platform.ts `gateway`) the HTTPRoute attaches to,
   * through this environment's own HTTPS listener, which the platform creates for `host`.
   */
  gateway: z.strictObject({
    name: dnsLabel,
    namespace: dnsLabel,
    /** The HTTPS listener of this environment (its name on the platform Gateway). */
    sectionName: dnsLabel,
    /**
     * Namespace where the gateway's proxy pods run (allowed to reach the front).
     * @default the Gateway's namespace (Envoy Gateway in GatewayNamespace mode)
     */
    dataPlaneNamespace: dnsLabel.optional(),
    /** Labels of those proxy pods. @default Envoy Gateway's proxy labels */
    dataPlanePodLabels: labelMap.default({
      'app.kubernetes.io/name': 'envoy',
      'app.kubernetes.io/component': 'proxy',
      'app.kubernetes.io/managed-by': 'envoy-gateway',
    }),
  }),
  /** The ClusterIssuer (environments/platform.ts `tls.issuers`) that signs `host`'s certificate. */
  tls: z.strictObject({ issuer: dnsLabel }),
  /** Namespace of the Prometheus that scrapes /metrics and the PostgreSQL exporter. */
  monitoringNamespace: dnsLabel.default('monitoring'),
  /** Labels of the Prometheus pods (the Prometheus Operator sets these). */
  prometheusPodLabels: labelMap.default({ 'app.kubernetes.io/name': 'prometheus' }),
  /** Namespace of the CloudNativePG operator (it connects to instances on 8000 and 5432). */
  cnpgOperatorNamespace: dnsLabel.default('cnpg-system'),
  /**
   * Where PostgreSQL pods may reach the Kubernetes API (CNPG instance managers watch it).
   * NetworkPolicy cannot select the API server by label; pin the control-plane CIDR per
   * cluster, the default allows any address but only on the API server ports.
   */
  kubernetesApi: z
    .strictObject({
      cidrs: z.array(z.cidrv4()).min(1),
      ports: z.array(z.number().int().min(1).max(65535)).min(1),
    })
    .default({ cidrs: ['0.0.0.0/0'], ports: [443, 6443] }),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** Spread pods over zones and nodes (prod). */
  topologySpread: z.boolean().default(false),
  /**
   * How Argo CD syncs dist/<env> (docs/argocd.md). `automated`: apply every commit without a
   * click; `prune`: delete objects that disappear from git (and the environment's objects
   * when its Application is deleted); `selfHeal`: revert changes made in the cluster by hand.
   */
  sync: z
    .strictObject({
      automated: z.boolean().default(true),
      prune: z.boolean().default(true),
      selfHeal: z.boolean().default(true),
    })
    .refine((s) => s.automated || (!s.prune && !s.selfHeal), {
      message: 'prune and selfHeal only apply to automated sync: set them to false when automated is false',
      path: ['automated'],
    })
    .default({ automated: true, prune: true, selfHeal: true }),
  api: withReplicasOrAutoscaling(
    webServiceSchema.extend({
      /** pg pool size per API pod (PG_POOL_MAX). */
      poolMax: positiveInt.default(10),
    }),
  ),
  front: withReplicasOrAutoscaling(webServiceSchema),
  database: z.strictObject({
    instances: z.number().int().min(1).max(9),
    /** PVC size, e.g. "10Gi". */
    storageSize: z.string().regex(/^[1-9][0-9]*(Mi|Gi|Ti)$/, 'must be a size such as 10Gi'),
    /** StorageClass for the PVCs; omitted means the cluster default. */
    storageClass: dnsLabel.optional(),
    resources: resourcesSchema,
    /** PostgreSQL max_connections; PostgreSQL's own default is 100. */
    maxConnections: z.number().int().min(20).max(5000).default(100),
    /** Continuous WAL archiving and scheduled base backups (Barman Cloud plugin). */
    backup: backupSchema,
    /** Set to restore into a new Cluster (docs/runbooks/procedures/point-in-time-restore.md). */
    restore: restoreSchema
      .refine((r) => r.name !== r.fromServer, { message: 'name must differ from fromServer: the restored Cluster is a new one', path: ['name'] })
      .refine((r) => r.name !== DEFAULT_DATABASE_NAME, { message: `name must differ from "${DEFAULT_DATABASE_NAME}", the Cluster every environment starts with`, path: ['name'] })
      .optional(),
  }),
  /** Sign-in (OpenID Connect) and roles of the front and the API (environments/auth-schema.ts). */
  auth: authSchema,
  /** Prometheus scraping, alert thresholds and dashboard (constructs/monitoring). */
  monitoring: monitoringSchema.prefault({}),
})
  .superRefine((env, ctx) => {
    const demand = apiConnectionDemand(env);
    if (demand > env.database.maxConnections) {
      ctx.addIssue({
        code: 'custom',
        path: ['database', 'maxConnections'],
        message:
          `is ${env.database.maxConnections}, but the API may open ${demand} connections ` +
          `((${maxApiPods(env)} pods at most, including the rolling-update surge) x poolMax ${env.api.poolMax} ` +
          `+ ${RESERVED_CONNECTIONS} for the migration Job, replication, monitoring and superusers): ` +
          'raise maxConnections or lower api.poolMax',
      });
    }
  });

/**
 * Connections PostgreSQL must keep for others than the API pods: superuser_reserved_connections
 * (3), CloudNativePG's streaming replicas and exporter, and the migration Job.
 */
export const RESERVED_CONNECTIONS = 10;

/** The most API pods that can run at once: the replica count (or HPA max) plus one surge pod. */
function maxApiPods(env: { api: { replicas?: number; autoscaling?: { maxReplicas: number } } }): number {
  return (env.api.autoscaling?.maxReplicas ?? env.api.replicas ?? 1) + 1;
}

/** Worst-case connections the API and the fixed consumers open against the database. */
export function apiConnectionDemand(env: {
  api: { replicas?: number; autoscaling?: { maxReplicas: number }; poolMax: number };
}): number {
  return maxApiPods(env) * env.api.poolMax + RESERVED_CONNECTIONS;
}

/** What an environment file provides (defaults may be left out). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** A validated environment with every default applied. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;

/**
 * An immutable image reference: registry/name:tag@sha256:<64 hex>. The tag is kept for
 * readability (it becomes APP_VERSION); the digest is what the cluster pulls.
 */
export const imageRefSchema = z
  .string()
  .regex(
    /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}@sha256:[0-9a-f]{64}$/,
    'must be an immutable reference registry/name:tag@sha256:<64 hex digits>',
  )
  .refine((ref) => !/:latest@/.test(ref), { message: 'must not use the tag "latest"' });

export const imagesSchema = z.strictObject({
  api: imageRefSchema,
  front: imageRefSchema,
});

export type Images = z.output<typeof imagesSchema>;

/** The tag part of an image reference (APP_VERSION, app.kubernetes.io/version). */
export function imageTag(ref: string): string {
  const withoutDigest = ref.slice(0, ref.indexOf('@'));
  return withoutDigest.slice(withoutDigest.lastIndexOf(':') + 1);
}
