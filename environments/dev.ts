// dev: one small replica of everything, a single PostgreSQL instance, verbose logs.
import type { EnvironmentInput } from './schema';

export const dev: EnvironmentInput = {
  name: 'dev',
  namespace: 'ecodata-dev',
  host: 'dev.ecodata.example.com',
  gateway: { name: 'public', namespace: 'gateway', sectionName: 'https-dev' },
  tls: { issuer: 'letsencrypt-staging' },
  logLevel: 'debug',
  api: {
    replicas: 1,
    poolMax: 5,
    resources: { requests: { cpuMillis: 50, memoryMiB: 128 }, limits: { cpuMillis: 500, memoryMiB: 256 } },
  },
  front: {
    replicas: 1,
    resources: { requests: { cpuMillis: 50, memoryMiB: 96 }, limits: { cpuMillis: 500, memoryMiB: 192 } },
  },
  database: {
    instances: 1,
    storageSize: '2Gi',
    resources: { requests: { cpuMillis: 100, memoryMiB: 256 }, limits: { cpuMillis: 1000, memoryMiB: 512 } },
    backup: {
      // A week is enough to undo a bad migration in dev; the Secret is created by hand (README).
      destinationPath: 's3://ecodata-backups/dev',
      credentials: { source: 'secret' },
      retentionPolicy: '7d',
      walCompression: 'gzip',
      archiveTimeout: '5min',
      schedule: '0 0 3 * * *',
    },
  },
  // Sign-in through the company's identity provider (README, "Sign-in"); the front's client
  // secret and session key are in Secret front-oidc, created out of band.
  auth: {
    issuer: 'https://sso.example.com/realms/ecodata',
    clientId: 'ecodata-front-dev',
    apiAudience: 'https://dev.ecodata.example.com/api',
    roleClaim: 'groups',
    roleMapping: { 'ecodata-dev-editors': 'editor', 'ecodata-dev-viewers': 'viewer' },
  },
  monitoring: {
    // Little traffic and frequent half-finished features: only tell about clear breakage.
    alerts: { apiErrorRatio: 0.25, apiLatencyP99Seconds: 2.5 },
  },
};
