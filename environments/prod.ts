// prod: autoscaled API and front spread over zones and nodes, three PostgreSQL instances.
import type { EnvironmentInput } from './schema';

export const prod: EnvironmentInput = {
  name: 'prod',
  namespace: 'ecodata-prod',
  host: 'ecodata.example.com',
  gateway: { name: 'public', namespace: 'gateway', sectionName: 'https-prod' },
  tls: { issuer: 'letsencrypt' },
  logLevel: 'info',
  topologySpread: true,
  // Automated with self-heal, but never prunes: promotion to prod is already a reviewed PR
  // (the merge is the approval, and `gitops rollback` takes effect without a click), while
  // deleting objects that vanish from git, above all the database Cluster, needs a human
  // to run a sync with prune in Argo CD. See docs/argocd.md.
  sync: { automated: true, prune: false, selfHeal: true },
  api: {
    autoscaling: { minReplicas: 3, maxReplicas: 10, targetCpuUtilizationPercent: 70 },
    poolMax: 10,
    resources: { requests: { cpuMillis: 250, memoryMiB: 256 }, limits: { cpuMillis: 1000, memoryMiB: 512 } },
  },
  front: {
    autoscaling: { minReplicas: 3, maxReplicas: 6, targetCpuUtilizationPercent: 70 },
    resources: { requests: { cpuMillis: 200, memoryMiB: 192 }, limits: { cpuMillis: 1000, memoryMiB: 384 } },
  },
  database: {
    instances: 3,
    storageSize: '20Gi',
    // Up to 11 API pods (HPA max 10 + 1 surge) x poolMax 10, plus replication and the Job.
    maxConnections: 200,
    resources: { requests: { cpuMillis: 1000, memoryMiB: 2048 }, limits: { cpuMillis: 2000, memoryMiB: 4096 } },
    backup: {
      // 30 days of point-in-time restore. archive_timeout bounds the data lost with all the
      // volumes (the RPO) to about a minute of acknowledged writes (PostgreSQL's docs call a
      // minute reasonable; a forced segment compresses to a few KiB). Measured by
      // `npm run backup-drill` (README, "Backups").
      destinationPath: 's3://ecodata-backups/prod',
      credentials: { source: 'secret' },
      retentionPolicy: '30d',
      walCompression: 'gzip',
      archiveTimeout: '60s',
      schedule: '0 0 2 * * *',
    },
  },
  // Sign-in through the company's identity provider (README, "Sign-in"); the front's client
  // secret and session key are in Secret front-oidc, created out of band.
  auth: {
    issuer: 'https://sso.example.com/realms/ecodata',
    clientId: 'ecodata-front-prod',
    apiAudience: 'https://ecodata.example.com/api',
    roleClaim: 'groups',
    roleMapping: { 'ecodata-prod-editors': 'editor', 'ecodata-prod-viewers': 'viewer' },
  },
  monitoring: {
    alerts: { apiErrorRatio: 0.02, apiLatencyP99Seconds: 1, hpaAtMaxFor: '15m', replicationLagSeconds: 30 },
  },
};
