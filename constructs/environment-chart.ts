// Everything one environment runs, in its own namespace: a composition of constructs, each
// exposed as a field so later layers (Argo CD Application, migration Job, monitoring) can
// be added beside them or refer to them without reaching inside.
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentConfig, Images } from '../environments/schema';
import { DEFAULT_DATABASE_NAME, imageTag } from '../environments/schema';
import { MigrationJob } from './argocd/migration-job';
import { assignEnvironmentWaves } from './argocd/sync-waves';
import { Database } from './database';
import { DatabaseBackup } from './database-backup';
import { PublicRoute } from './http-route';
import { Monitoring } from './monitoring/monitoring';
import type { MonitoredService } from './monitoring/targets';
import { RestrictedNamespace } from './namespace';
import { AppNetworkPolicies } from './network-policies';
import { WebService } from './web-service';

export interface EnvironmentChartProps {
  /** The validated environment configuration. */
  readonly config: EnvironmentConfig;
  /** Immutable image references of the environment. */
  readonly images: Images;
}

/** Gateway timeout of the front's import page: above the front's import timeout (660 s). */
export const FRONT_IMPORT_REQUEST_TIMEOUT = '12m';

export class EnvironmentChart extends Chart {
  public readonly config: EnvironmentConfig;
  public readonly restrictedNamespace: RestrictedNamespace;
  public readonly database: Database;
  /** The ObjectStore and the ScheduledBackup of the database. */
  public readonly databaseBackup: DatabaseBackup;
  public readonly api: WebService;
  /** Runs the API's database migrations (an Argo CD Sync hook) before the API rolls out. */
  public readonly migration: MigrationJob;
  public readonly front: WebService;
  public readonly route: PublicRoute;
  public readonly networkPolicies: AppNetworkPolicies;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: EnvironmentChartProps) {
    const { config, images } = props;
    super(scope, id, { namespace: config.namespace, disableResourceNameHashes: true });
    this.config = config;

    this.restrictedNamespace = new RestrictedNamespace(this, 'Namespace', { name: config.namespace });

    const databaseName = 'ecodata';
    const { backup, restore } = config.database;
    // After a restore the environment's database is the new Cluster; everything below (API,
    // migration Job, policies, monitoring) follows its name.
    const clusterName = restore?.name ?? DEFAULT_DATABASE_NAME;
    this.databaseBackup = new DatabaseBackup(this, 'DatabaseBackup', {
      clusterName,
      destinationPath: backup.destinationPath,
      endpointURL: backup.endpointURL,
      credentials: backup.credentials,
      retentionPolicy: backup.retentionPolicy,
      walCompression: backup.walCompression,
      dataCompression: backup.dataCompression,
      schedule: backup.schedule,
    });
    const objectStoreName = this.databaseBackup.objectStoreName;
    this.database = new Database(this, 'Database', {
      name: clusterName,
      databaseName,
      archiveTimeout: backup.archiveTimeout,
      walArchive: { objectStoreName },
      recovery: restore ? { objectStoreName, fromServer: restore.fromServer, targetTime: restore.targetTime } : undefined,
      serviceAccountAnnotations: backup.credentials.source === 'workloadIdentity' ? backup.credentials.serviceAccountAnnotations : undefined,
      instances: config.database.instances,
      storageSize: config.database.storageSize,
      storageClass: config.database.storageClass,
      resources: config.database.resources,
      maxConnections: config.database.maxConnections,
      requireSeparateNodes: config.topologySpread,
    });

    const { auth } = config;
    const roleMapping = stableJson(auth.roleMapping);
    const apiVersion = imageTag(images.api);
    this.api = new WebService(this, 'Api', {
      name: 'api',
      image: images.api,
      version: apiVersion,
      managementPort: MANAGEMENT_PORT,
      resources: config.api.resources,
      replicas: config.api.replicas,
      autoscaling: config.api.autoscaling,
      topologySpread: config.topologySpread,
      env: {
        ANONYMOUS_READ: String(auth.anonymousRead),
        APP_ENV: config.name,
        APP_VERSION: apiVersion,
        LOG_LEVEL: config.logLevel,
        MANAGEMENT_PORT: String(MANAGEMENT_PORT),
        OIDC_AUDIENCE: auth.apiAudience,
        OIDC_ISSUER: auth.issuer,
        OIDC_ROLE_CLAIM: auth.roleClaim,
        OIDC_ROLE_MAPPING: roleMapping,
        PG_POOL_MAX: String(config.api.poolMax),
        PORT: '8080',
      },
      secretEnv: { DATABASE_URL: { secretName: this.database.appSecretName, key: 'uri' } },
    });

    this.migration = new MigrationJob(this, 'Migration', {
      image: images.api,
      version: apiVersion,
      resources: config.api.resources,
      serviceAccountName: this.api.serviceAccount.name,
      env: { APP_ENV: config.name, APP_VERSION: apiVersion, LOG_LEVEL: config.logLevel },
      secretEnv: { DATABASE_URL: { secretName: this.database.appSecretName, key: 'uri' } },
    });

    const frontVersion = imageTag(images.front);
    this.front = new WebService(this, 'Front', {
      name: 'front',
      image: images.front,
      version: frontVersion,
      managementPort: MANAGEMENT_PORT,
      resources: config.front.resources,
      replicas: config.front.replicas,
      autoscaling: config.front.autoscaling,
      topologySpread: config.topologySpread,
      env: {
        ANONYMOUS_READ: String(auth.anonymousRead),
        // Its readiness and footer ask the API's /healthz and /readyz, on the API's management port.
        API_MANAGEMENT_URL: `http://${this.api.name}.${config.namespace}.svc:${this.api.managementPort}`,
        API_URL: `http://${this.api.name}.${config.namespace}.svc:${this.api.port}`,
        APP_ENV: config.name,
        APP_VERSION: frontVersion,
        LOG_LEVEL: config.logLevel,
        MANAGEMENT_PORT: String(MANAGEMENT_PORT),
        OIDC_API_AUDIENCE: auth.apiAudience,
        OIDC_CLIENT_ID: auth.clientId,
        OIDC_ISSUER: auth.issuer,
        OIDC_ROLE_CLAIM: auth.roleClaim,
        OIDC_ROLE_MAPPING: roleMapping,
        OIDC_SCOPES: auth.scopes.join(' '),
        PORT: '8080',
        // The browser's address: redirect URIs are built from it, and it is https.
        PUBLIC_URL: `https://${config.host}`,
        // Only the gateway's proxies reach the front (NetworkPolicy): believe their
        // X-Forwarded-Proto, so cookies get Secure and HSTS is sent.
        TRUST_PROXY: 'true',
      },
      secretEnv: {
        OIDC_CLIENT_SECRET: { secretName: auth.frontSecret.name, key: auth.frontSecret.clientSecretKey },
        SESSION_SECRET: { secretName: auth.frontSecret.name, key: auth.frontSecret.sessionSecretKey },
      },
    });

    this.route = new PublicRoute(this, 'Route', {
      name: 'front',
      host: config.host,
      gateway: { name: config.gateway.name, namespace: config.gateway.namespace, sectionName: config.gateway.sectionName },
      backend: { name: this.front.name, port: this.front.port },
      // A browser's CSV import waits for the whole import (the front's own limit is 11 min,
      // app/front/src/config.ts): the gateway must not answer 504 while the write goes on.
      slowPaths: [{ path: '/import', requestTimeout: FRONT_IMPORT_REQUEST_TIMEOUT }],
    });

    this.networkPolicies = new AppNetworkPolicies(this, 'NetworkPolicies', {
      front: { name: this.front.name, selector: this.front.selector, port: this.front.port, managementPort: this.front.managementPort },
      api: { name: this.api.name, selector: this.api.selector, port: this.api.port, managementPort: this.api.managementPort },
      migration: { name: this.migration.name, selector: this.migration.selector },
      database: {
        name: this.database.name,
        selector: this.database.podSelector,
        port: this.database.port,
        metricsPort: this.database.metricsPort,
      },
      objectStore: backup.egress,
      identityProvider: auth.providerEgress,
      gatewayProxies: { namespace: config.gateway.dataPlaneNamespace ?? config.gateway.namespace, podLabels: config.gateway.dataPlanePodLabels },
      prometheus: { namespace: config.monitoringNamespace, podLabels: config.prometheusPodLabels },
      cnpgOperatorNamespace: config.cnpgOperatorNamespace,
      kubernetesApi: config.kubernetesApi,
    });

    const monitored = (service: WebService, autoscaling: EnvironmentConfig['api']['autoscaling']): MonitoredService => ({
      name: service.name,
      serviceSelector: service.selector,
      metricsPortName: metricsPortName(service),
      autoscaling,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      targets: {
        environment: config.name,
        namespace: config.namespace,
        api: monitored(this.api, config.api.autoscaling),
        front: monitored(this.front, config.front.autoscaling),
        database: { name: this.database.name, databaseName, podSelector: this.database.podSelector, metricsPortName: 'metrics' },
        migrationJobPattern: config.monitoring.migrationJobPattern,
      },
      thresholds: config.monitoring.alerts,
      repositoryUrl: config.monitoring.repositoryUrl,
      scrapeInterval: config.monitoring.scrapeInterval,
      labels: config.monitoring.labels,
    });
  }

  /** Gives every object its Argo CD sync wave (constructs/argocd/sync-waves.ts), including objects added after construction. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  public override toJson(): any[] {
    assignEnvironmentWaves(this);
    return super.toJson();
  }
}

/** Port of /metrics and the probes in both images (MANAGEMENT_PORT); never routed. */
export const MANAGEMENT_PORT = 9090;

/** Name of the Service port that serves /metrics (the management port, not the routed one). */
function metricsPortName(service: WebService): string {
  const port = service.service.ports.find((p) => p.port === service.managementPort);
  if (!port?.name) throw new Error(`WebService ${service.name}: its Service port ${service.managementPort} needs a name for the ServiceMonitor`);
  return port.name;
}

/**
 * JSON with its keys sorted by code unit (not by locale, which varies with the machine), so the
 * rendered env var does not depend on object key order.
 */
function stableJson(record: Readonly<Record<string, string>>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}
