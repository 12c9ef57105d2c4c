// Backups of a CloudNativePG Cluster through the Barman Cloud plugin (CNPG-I): the ObjectStore
// (where base backups and WAL go, how long they are kept, how they are compressed and how the
// plugin authenticates) and a ScheduledBackup taking base backups with `method: plugin`.
// Continuous WAL archiving is the Cluster's own `plugins` entry (constructs/database.ts).
// No credential is rendered: the ObjectStore names a Secret created out of band, or asks for
// the pod's cloud workload identity.
import { Construct } from 'constructs';
import {
  ObjectStore,
  ObjectStoreSpecConfigurationDataCompression,
  ObjectStoreSpecConfigurationWalCompression,
  type ObjectStoreSpecConfiguration,
} from './imports/barmancloud.cnpg.io';
import { ScheduledBackup, ScheduledBackupSpecBackupOwnerReference, ScheduledBackupSpecMethod } from './imports/scheduledbackup-postgresql.cnpg.io';
import { componentLabels } from './labels';

/** The plugin's name, as Clusters, ScheduledBackups and externalClusters refer to it. */
export const BARMAN_CLOUD_PLUGIN = 'barman-cloud.cloudnative-pg.io';

export type WalCompression = `${ObjectStoreSpecConfigurationWalCompression}`;
export type DataCompression = `${ObjectStoreSpecConfigurationDataCompression}`;

/** How the plugin's sidecar authenticates to the object store. */
export type ObjectStoreCredentials =
  | {
      /** An S3 access key in a Secret of the Cluster's namespace, created out of band. */
      readonly source: 'secret';
      readonly secretName: string;
      readonly accessKeyIdKey: string;
      readonly secretAccessKeyKey: string;
      readonly regionKey?: string;
    }
  | {
      /** The pod's cloud identity (IRSA / GKE / Azure workload identity), by provider. */
      readonly source: 'workloadIdentity';
    };

export interface DatabaseBackupProps {
  /** Name of the ObjectStore. @default 'database-backups' */
  readonly objectStoreName?: string;
  /** The Cluster the ScheduledBackup backs up. */
  readonly clusterName: string;
  /** s3://bucket/prefix, gs://bucket/prefix or https://<account>.blob.core.windows.net/<container>/prefix. */
  readonly destinationPath: string;
  /** Endpoint of an S3-compatible store that is not AWS S3. @default AWS S3 */
  readonly endpointURL?: string;
  readonly credentials: ObjectStoreCredentials;
  /** Base backups (and their WAL) kept this long: 30d, 8w, 6m. */
  readonly retentionPolicy: string;
  /** @default 'gzip' */
  readonly walCompression?: WalCompression;
  /** @default 'gzip' */
  readonly dataCompression?: DataCompression;
  /** Six-field cron (seconds first) of the base backups. @default '0 0 2 * * *' (02:00 daily) */
  readonly schedule?: string;
}

/** The credentials stanza of the ObjectStore for the destination's provider. */
function credentialsFor(destinationPath: string, credentials: ObjectStoreCredentials): Partial<ObjectStoreSpecConfiguration> {
  const provider = destinationPath.startsWith('s3://') ? 's3' : destinationPath.startsWith('gs://') ? 'gcs' : 'azure';
  if (credentials.source === 'workloadIdentity') {
    if (provider === 's3') return { s3Credentials: { inheritFromIamRole: true } };
    if (provider === 'gcs') return { googleCredentials: { gkeEnvironment: true } };
    return { azureCredentials: { inheritFromAzureAd: true } };
  }
  if (provider !== 's3') {
    throw new Error(`DatabaseBackup: credentials from a Secret are modelled for s3:// destinations only, got ${destinationPath} (use workloadIdentity)`);
  }
  const { secretName: name } = credentials;
  return {
    s3Credentials: {
      accessKeyId: { name, key: credentials.accessKeyIdKey },
      secretAccessKey: { name, key: credentials.secretAccessKeyKey },
      ...(credentials.regionKey ? { region: { name, key: credentials.regionKey } } : {}),
    },
  };
}

export class DatabaseBackup extends Construct {
  public readonly objectStoreName: string;
  public readonly objectStore: ObjectStore;
  public readonly scheduledBackup: ScheduledBackup;

  constructor(scope: Construct, id: string, props: DatabaseBackupProps) {
    super(scope, id);
    this.objectStoreName = props.objectStoreName ?? 'database-backups';
    const schedule = props.schedule ?? '0 0 2 * * *';
    if (schedule.trim().split(/\s+/).length !== 6) {
      throw new Error(`DatabaseBackup ${this.objectStoreName}: schedule must have six fields (seconds first), got "${schedule}"`);
    }

    this.objectStore = new ObjectStore(this, 'ObjectStore', {
      metadata: { name: this.objectStoreName, labels: componentLabels(this.objectStoreName, 'database') },
      spec: {
        retentionPolicy: props.retentionPolicy,
        configuration: {
          destinationPath: props.destinationPath,
          endpointUrl: props.endpointURL,
          ...credentialsFor(props.destinationPath, props.credentials),
          wal: { compression: (props.walCompression ?? 'gzip') as ObjectStoreSpecConfigurationWalCompression },
          data: { compression: (props.dataCompression ?? 'gzip') as ObjectStoreSpecConfigurationDataCompression },
        },
      },
    });

    this.scheduledBackup = new ScheduledBackup(this, 'ScheduledBackup', {
      metadata: { name: `${props.clusterName}-base-backup`, labels: componentLabels(props.clusterName, 'database') },
      spec: {
        cluster: { name: props.clusterName },
        schedule,
        method: ScheduledBackupSpecMethod.PLUGIN,
        pluginConfiguration: { name: BARMAN_CLOUD_PLUGIN },
        // A first base backup at once: WAL archived before any base backup cannot be restored.
        immediate: true,
        // Backup objects belong to the Cluster: they go when it goes, the data in the store stays.
        backupOwnerReference: ScheduledBackupSpecBackupOwnerReference.CLUSTER,
      },
    });
  }
}
