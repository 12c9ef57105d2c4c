import { Testing } from 'cdk8s';
import { DatabaseBackup, type DatabaseBackupProps } from '../../constructs/database-backup';
import type { KubeObject } from '../support/dist';
import { only } from './helpers';

const SECRET = { source: 'secret', secretName: 'creds', accessKeyIdKey: 'ID', secretAccessKeyKey: 'KEY' } as const;

function synth(props: Partial<DatabaseBackupProps> = {}): { objectStore: KubeObject; scheduledBackup: KubeObject } {
  const chart = Testing.chart();
  new DatabaseBackup(chart, 'Backup', { clusterName: 'database', destinationPath: 's3://bucket/prod', credentials: SECRET, retentionPolicy: '30d', ...props });
  const objects = Testing.synth(chart) as KubeObject[];
  return { objectStore: only(objects, 'ObjectStore'), scheduledBackup: only(objects, 'ScheduledBackup') };
}

test('the ObjectStore names the destination, retention, compression and the out-of-band Secret, never a credential', () => {
  const { objectStore } = synth({ walCompression: 'zstd' });
  expect(objectStore.apiVersion).toBe('barmancloud.cnpg.io/v1');
  expect(objectStore.metadata.name).toBe('database-backups');
  expect(objectStore.spec).toEqual({
    retentionPolicy: '30d',
    configuration: {
      destinationPath: 's3://bucket/prod',
      s3Credentials: { accessKeyId: { name: 'creds', key: 'ID' }, secretAccessKey: { name: 'creds', key: 'KEY' } },
      wal: { compression: 'zstd' },
      data: { compression: 'gzip' },
    },
  });
});

test('a region key and an S3-compatible endpoint are passed through', () => {
  const { objectStore } = synth({ credentials: { ...SECRET, regionKey: 'REGION' }, endpointURL: 'https://s3.example.com' });
  expect(objectStore.spec.configuration.s3Credentials.region).toEqual({ name: 'creds', key: 'REGION' });
  expect(objectStore.spec.configuration.endpointURL).toBe('https://s3.example.com');
});

test.each([
  ['s3://bucket/prod', { s3Credentials: { inheritFromIAMRole: true } }],
  ['gs://bucket/prod', { googleCredentials: { gkeEnvironment: true } }],
  ['https://account.blob.core.windows.net/container/prod', { azureCredentials: { inheritFromAzureAD: true } }],
])('workload identity for %s uses the provider’s own setting', (destinationPath, expected) => {
  const { objectStore } = synth({ destinationPath, credentials: { source: 'workloadIdentity' } });
  expect(objectStore.spec.configuration).toMatchObject(expected);
});

test('a Secret for a non-S3 destination is rejected', () => {
  expect(() => synth({ destinationPath: 'gs://bucket/prod' })).toThrow('credentials from a Secret are modelled for s3:// destinations only');
});

test('the ScheduledBackup takes plugin base backups of the Cluster on a six-field schedule, the first one at once', () => {
  const { scheduledBackup } = synth({ schedule: '0 30 1 * * *' });
  expect(scheduledBackup.metadata.name).toBe('database-base-backup');
  expect(scheduledBackup.spec).toEqual({
    cluster: { name: 'database' },
    schedule: '0 30 1 * * *',
    method: 'plugin',
    pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    immediate: true,
    backupOwnerReference: 'cluster',
  });
});

test('a five-field cron schedule is rejected', () => {
  expect(() => synth({ schedule: '0 2 * * *' })).toThrow('DatabaseBackup database-backups: schedule must have six fields (seconds first), got "0 2 * * *"');
});
