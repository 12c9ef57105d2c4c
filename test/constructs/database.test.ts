import { Testing } from 'cdk8s';
import { Database, type DatabaseProps } from '../../constructs/database';
import type { KubeObject } from '../support/dist';
import { only, RESOURCES } from './helpers';

function synth(props: Partial<DatabaseProps> = {}): { database: Database; cluster: KubeObject } {
  const chart = Testing.chart();
  const database = new Database(chart, 'Database', { instances: 1, storageSize: '1Gi', resources: RESOURCES, ...props });
  return { database, cluster: only(Testing.synth(chart) as KubeObject[], 'Cluster') };
}

test('defaults to a Cluster named database with an ecodata database and the -app Secret', () => {
  const { database, cluster } = synth();
  expect(cluster.apiVersion).toBe('postgresql.cnpg.io/v1');
  expect(cluster.metadata.name).toBe('database');
  expect(database.appSecretName).toBe('database-app');
  expect(database.podSelector).toEqual({ 'cnpg.io/cluster': 'database' });
  expect(cluster.spec.bootstrap.initdb).toEqual({ database: 'ecodata', owner: 'ecodata' });
  expect(cluster.spec.affinity.podAntiAffinityType).toBe('preferred');
  expect(cluster.spec.monitoring.disableDefaultQueries).toBe(false);
  expect(cluster.spec.postgresql.parameters).toEqual({ max_connections: '100' });
});

test('maxConnections sets PostgreSQL max_connections', () => {
  expect(synth({ maxConnections: 250 }).cluster.spec.postgresql.parameters.max_connections).toBe('250');
});

test('instances, storage and resources are passed through as Kubernetes quantities', () => {
  const { cluster } = synth({ instances: 3, storageSize: '20Gi', storageClass: 'fast' });
  expect(cluster.spec.instances).toBe(3);
  expect(cluster.spec.storage).toEqual({ size: '20Gi', storageClass: 'fast', resizeInUseVolumes: true });
  expect(cluster.spec.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
});

test('name, database, owner and node separation can be changed', () => {
  const { database, cluster } = synth({ name: 'pg', databaseName: 'app', owner: 'svc', requireSeparateNodes: true });
  expect(database.appSecretName).toBe('pg-app');
  expect(cluster.spec.bootstrap.initdb).toEqual({ database: 'app', owner: 'svc' });
  expect(cluster.spec.affinity.podAntiAffinityType).toBe('required');
});

test('zero instances is rejected', () => {
  expect(() => synth({ instances: 0 })).toThrow('instances must be a positive integer');
});

test('walArchive makes the Barman Cloud plugin the WAL archiver, and archiveTimeout becomes archive_timeout', () => {
  const { cluster } = synth({ walArchive: { objectStoreName: 'store' }, archiveTimeout: '60s' });
  expect(cluster.spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store' } }]);
  expect(cluster.spec.postgresql.parameters).toEqual({ max_connections: '100', archive_timeout: '60s' });
  expect(cluster.spec.bootstrap).toEqual({ initdb: { database: 'ecodata', owner: 'ecodata' } });
  expect(cluster.spec.externalClusters).toBeUndefined();
});

test('recovery bootstraps from the old server through the plugin, to the target time, while archiving under the new name', () => {
  const { cluster } = synth({
    name: 'database-r1',
    walArchive: { objectStoreName: 'store' },
    recovery: { objectStoreName: 'store', fromServer: 'database', targetTime: '2026-12-01T10:00:00Z' },
  });
  expect(cluster.metadata.name).toBe('database-r1');
  expect(cluster.spec.bootstrap).toEqual({
    recovery: { source: 'origin', database: 'ecodata', owner: 'ecodata', recoveryTarget: { targetTime: '2026-12-01T10:00:00Z' } },
  });
  expect(cluster.spec.externalClusters).toEqual([
    { name: 'origin', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'store', serverName: 'database' } } },
  ]);
  expect(cluster.spec.plugins[0].parameters).toEqual({ barmanObjectName: 'store' });
});

test('recovery without a target time replays the whole archive', () => {
  const { cluster } = synth({ name: 'database-r1', recovery: { objectStoreName: 'store', fromServer: 'database' } });
  expect(cluster.spec.bootstrap.recovery.recoveryTarget).toBeUndefined();
});

test('a Cluster restoring from its own server name is rejected', () => {
  expect(() => synth({ recovery: { objectStoreName: 'store', fromServer: 'database' } })).toThrow(
    'Database database: recovery.fromServer must name another server than the Cluster itself',
  );
});

test('serviceAccountAnnotations bind the instances to a workload identity', () => {
  const { cluster } = synth({ serviceAccountAnnotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/backups' } });
  expect(cluster.spec.serviceAccountTemplate).toEqual({ metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/backups' } } });
  expect(synth().cluster.spec.serviceAccountTemplate).toBeUndefined();
});
