// The typed shape of an environment's database backups (continuous WAL archiving and base
// backups through the CloudNativePG Barman Cloud plugin) and of a point-in-time restore.
// Credentials are never part of it: they come from a Secret created out of band or from the
// cloud's workload identity (README, "Backups").
import { z } from 'zod';

const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label (lower-case letters, digits, "-")');

/** Secret key names as Kubernetes accepts them. */
const secretKey = z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key (letters, digits, "-", "_", ".")');

/**
 * Where the backups go: s3://bucket/prefix (AWS S3 or an S3-compatible store with
 * `endpointURL`), gs://bucket/prefix (Google Cloud Storage) or
 * https://<account>.blob.core.windows.net/<container>/prefix (Azure Blob Storage).
 */
export const destinationPathSchema = z
  .string()
  .regex(
    /^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]|gs:\/\/[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]|https:\/\/[a-z0-9]{3,24}\.blob\.core\.windows\.net\/[a-z0-9][a-z0-9-]{1,61}[a-z0-9])(\/[A-Za-z0-9._-]+)*$/,
    'must be s3://bucket/prefix, gs://bucket/prefix or https://<account>.blob.core.windows.net/<container>/prefix',
  );

export type ObjectStoreProvider = 's3' | 'gcs' | 'azure';

/** The provider a destination path belongs to. */
export function providerOf(destinationPath: string): ObjectStoreProvider {
  if (destinationPath.startsWith('s3://')) return 's3';
  if (destinationPath.startsWith('gs://')) return 'gcs';
  return 'azure';
}

/**
 * How the plugin's sidecar authenticates to the object store.
 * - `secret`: a Secret created out of band (kubectl, External Secrets, Sealed Secrets) in the
 *   environment's namespace; only S3 keys are modelled here.
 * - `workloadIdentity`: the pod's cloud identity (AWS IRSA or EKS Pod Identity:
 *   `inheritFromIAMRole`; GKE Workload Identity: `gkeEnvironment`; Azure Workload Identity:
 *   `inheritFromAzureAD`), bound through annotations on the Cluster's ServiceAccount.
 */
export const backupCredentialsSchema = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('secret'),
    /** Name of the Secret. @default 'database-backup-s3' */
    secretName: dnsLabel.default('database-backup-s3'),
    /** Key holding the access key id. @default 'ACCESS_KEY_ID' */
    accessKeyIdKey: secretKey.default('ACCESS_KEY_ID'),
    /** Key holding the secret access key. @default 'ACCESS_SECRET_KEY' */
    secretAccessKeyKey: secretKey.default('ACCESS_SECRET_KEY'),
    /** Key holding the region, when the store needs one. @default no region key */
    regionKey: secretKey.optional(),
  }),
  z.strictObject({
    source: z.literal('workloadIdentity'),
    /**
     * Annotations of the Cluster's ServiceAccount that bind it to the cloud identity, e.g.
     * `eks.amazonaws.com/role-arn`, `iam.gke.io/gcp-service-account` or
     * `azure.workload.identity/client-id`.
     */
    serviceAccountAnnotations: z.record(z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, 'must be an annotation name'), z.string().min(1)).default({}),
  }),
]);

/** A six-field cron expression (seconds first), as ScheduledBackup requires. */
const sixFieldCron = z
  .string()
  .refine((value) => value.trim().split(/\s+/).length === 6, {
    message: 'must be a six-field cron expression with seconds first, such as "0 0 2 * * *" (02:00 every day)',
  });

/** A PostgreSQL time setting with its unit: 30s, 5min, 1h. */
export const postgresDurationSchema = z.string().regex(/^[1-9][0-9]*(s|min|h)$/, 'must be a PostgreSQL duration such as 60s, 5min or 1h');

/** Seconds of a PostgreSQL duration (postgresDurationSchema). */
export function postgresDurationSeconds(value: string): number {
  const match = /^([1-9][0-9]*)(s|min|h)$/.exec(value);
  if (!match) throw new Error(`not a PostgreSQL duration: ${value}`);
  return Number(match[1]) * ({ s: 1, min: 60, h: 3600 } as const)[match[2] as 's' | 'min' | 'h'];
}

export const backupSchema = z.strictObject({
  /** Bucket and prefix of this environment's backups; one environment per prefix. */
  destinationPath: destinationPathSchema,
  /** Endpoint of an S3-compatible store that is not AWS S3. @default AWS S3 */
  endpointURL: z.url({ protocol: /^https$/ }).optional(),
  credentials: backupCredentialsSchema,
  /** How long base backups (and the WAL they need) are kept: 30d, 8w, 6m. */
  retentionPolicy: z.string().regex(/^[1-9][0-9]*[dwm]$/, 'must be a number of days, weeks or months such as 30d, 8w or 6m'),
  /** Compression of archived WAL segments. @default 'gzip' */
  walCompression: z.enum(['bzip2', 'gzip', 'lz4', 'snappy', 'xz', 'zstd']).default('gzip'),
  /** Compression of base backups. @default 'gzip' */
  dataCompression: z.enum(['bzip2', 'gzip', 'lz4', 'snappy']).default('gzip'),
  /**
   * PostgreSQL `archive_timeout`: the longest a finished transaction waits before its WAL
   * segment is archived, so the recovery point objective when the volumes are lost.
   * @default '5min' (CloudNativePG's own default)
   */
  archiveTimeout: postgresDurationSchema.default('5min'),
  /** When base backups run (ScheduledBackup, six fields, seconds first). @default '0 0 2 * * *' */
  schedule: sixFieldCron.default('0 0 2 * * *'),
  /** Where the instances may reach the object store (NetworkPolicy egress). @default any address, port 443 */
  egress: z
    .strictObject({
      cidrs: z.array(z.cidrv4()).min(1),
      ports: z.array(z.number().int().min(1).max(65535)).min(1),
    })
    .default({ cidrs: ['0.0.0.0/0'], ports: [443] }),
});

/**
 * A point-in-time restore: the environment's database becomes a NEW Cluster named `name`,
 * bootstrapped from the base backups and WAL that the Cluster `fromServer` archived into this
 * environment's object store, up to `targetTime` (or to the end of the archive). The new
 * Cluster archives its own WAL under its own name. docs/runbooks/procedures/point-in-time-restore.md.
 */
export const restoreSchema = z.strictObject({
  /** Name of the new Cluster (must differ from every Cluster that archived before). */
  name: dnsLabel.max(50),
  /** Server name (the old Cluster's name) whose backups and WAL to restore from. */
  fromServer: dnsLabel,
  /** Recover up to this moment (RFC 3339 with an offset); omitted means the end of the archive. */
  targetTime: z.iso.datetime({ offset: true }).optional(),
});

export type BackupConfig = z.output<typeof backupSchema>;
export type RestoreConfig = z.output<typeof restoreSchema>;
