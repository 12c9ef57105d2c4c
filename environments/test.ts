// test: production-like shape at a smaller size (2 replicas, 2 PostgreSQL instances) so
// rolling updates, PDBs and failover are exercised before prod.
import type { EnvironmentInput } from './schema';

export const test: EnvironmentInput = {
  name: 'test',
  namespace: 'ecodata-test',
  host: 'test.ecodata.example.com',
  gateway: { name: 'public', namespace: 'gateway', sectionName: 'https-test' },
  tls: { issuer: 'letsencrypt' },
  api: {
    replicas: 2,
    resources: { requests: { cpuMillis: 100, memoryMiB: 192 }, limits: { cpuMillis: 1000, memoryMiB: 384 } },
  },
  front: {
    replicas: 2,
    resources: { requests: { cpuMillis: 100, memoryMiB: 128 }, limits: { cpuMillis: 500, memoryMiB: 256 } },
  },
  database: {
    instances: 2,
    storageSize: '5Gi',
    resources: { requests: { cpuMillis: 250, memoryMiB: 512 }, limits: { cpuMillis: 1000, memoryMiB: 1024 } },
    backup: {
      // Two weeks: long enough to compare a test run with the data it started from.
      destinationPath: 's3://ecodata-backups/test',
      credentials: { source: 'secret' },
      retentionPolicy: '14d',
      walCompression: 'gzip',
      archiveTimeout: '5min',
      schedule: '0 30 2 * * *',
    },
  },
  // Sign-in through the company's identity provider (README, "Sign-in"); the front's client
  // secret and session key are in Secret front-oidc, created out of band.
  auth: {
    issuer: 'https://sso.example.com/realms/ecodata',
    clientId: 'ecodata-front-test',
    apiAudience: 'https://test.ecodata.example.com/api',
    roleClaim: 'groups',
    roleMapping: { 'ecodata-test-editors': 'editor', 'ecodata-test-viewers': 'viewer' },
  },
  monitoring: {
    alerts: { apiErrorRatio: 0.1, apiLatencyP99Seconds: 2, replicationLagSeconds: 120 },
  },
};
