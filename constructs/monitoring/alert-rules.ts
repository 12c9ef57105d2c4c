// The alerts an on-call engineer needs for one environment, as plain data: what is wrong
// (expr), for how long before paging (for), how bad (severity) and what to tell the human
// (summary, description). Thresholds come from the environment's config.
import { API_METRICS } from './app-metrics';
import { PROBE_ROUTES } from './app-metrics';
import { oneOf, selector } from './promql';
import { instancePods, type MonitoringTargets } from './targets';

export type Severity = 'critical' | 'warning';

export interface AlertThresholds {
  /** Share of API responses that are 5xx, over 5 minutes. */
  readonly apiErrorRatio: number;
  /** p99 API latency in seconds, over 5 minutes. */
  readonly apiLatencyP99Seconds: number;
  /** How long an HPA may sit at maxReplicas before anyone is told (Prometheus duration). */
  readonly hpaAtMaxFor: string;
  /** Seconds a standby may lag behind the primary. */
  readonly replicationLagSeconds: number;
  /** Share of max_connections in use on an instance. */
  readonly connectionSaturationRatio: number;
  /** Share of a PostgreSQL volume in use. */
  readonly storageUsedRatio: number;
  /** Hours since the newest base backup before DatabaseBackupTooOld fires. */
  readonly backupMaxAgeHours: number;
}

/**
 * Series the Barman Cloud plugin's instance sidecar adds to each instance's exporter
 * (internal/cnpgi/instance/metrics.go of plugin v0.15.0: the plugin name with "." and "-"
 * as "_", then the metric), scraped by the same PodMonitor.
 */
export const BARMAN_CLOUD_METRICS = {
  lastAvailableBackup: 'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp',
  lastFailedBackup: 'barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp',
  firstRecoverabilityPoint: 'barman_cloud_cloudnative_pg_io_first_recoverability_point',
} as const;

export interface AlertDefinition {
  /** Alert name (PascalCase); its runbook is docs/runbooks/<kebab-case>.md. */
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold (Prometheus duration). */
  readonly for: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
}

const percent = (ratio: number) => `${+(ratio * 100).toFixed(2)}%`;

/** Every alert of the environment, in a stable order. */
export function alertDefinitions(targets: MonitoringTargets, thresholds: AlertThresholds): AlertDefinition[] {
  const { namespace, api, front, database } = targets;
  const ns = { namespace };
  const apiRequests = (matchers: Record<string, string> = {}) =>
    `sum(rate(${selector(`${API_METRICS.requestDuration}_count`, { ...ns, job: api.name, ...matchers })}[5m]))`;
  const pods = { ...ns, 'pod=~': instancePods(database.name) };
  const autoscaled = [api, front].filter((service) => service.autoscaling !== undefined).map((service) => service.name);

  const unavailable = (service: typeof api, who: string): AlertDefinition => ({
    alert: `${who}Unavailable`,
    expr: `${selector('kube_deployment_status_replicas_available', { ...ns, deployment: service.name })} == 0`,
    for: '2m',
    severity: 'critical',
    summary: `No ${service.name} pod is ready in ${namespace}.`,
    description: `Deployment ${namespace}/${service.name} has had no available replica for 2 minutes: ${who === 'Api' ? 'every API call' : 'every page'} fails.`,
  });

  const alerts: AlertDefinition[] = [
    {
      alert: 'ApiHighErrorRatio',
      expr: `${apiRequests({ 'status=~': '5..' })} / ${apiRequests()} > ${thresholds.apiErrorRatio}`,
      for: '5m',
      severity: 'critical',
      summary: `More than ${percent(thresholds.apiErrorRatio)} of API requests fail with 5xx in ${namespace}.`,
      description: 'The API has answered {{ $value | humanizePercentage }} of its requests with a 5xx status over the last 5 minutes.',
    },
    {
      alert: 'ApiHighLatencyP99',
      expr:
        `histogram_quantile(0.99, sum by (le) (rate(${selector(`${API_METRICS.requestDuration}_bucket`, { ...ns, job: api.name, 'route!~': oneOf(PROBE_ROUTES) })}[5m])))` +
        ` > ${thresholds.apiLatencyP99Seconds}`,
      for: '10m',
      severity: 'warning',
      summary: `API p99 latency is above ${thresholds.apiLatencyP99Seconds}s in ${namespace}.`,
      description: 'The slowest 1% of API requests took more than {{ $value | humanizeDuration }} over the last 5 minutes (probes and /metrics excluded).',
    },
    unavailable(api, 'Api'),
    unavailable(front, 'Front'),
  ];

  if (autoscaled.length > 0) {
    const hpa = { ...ns, 'horizontalpodautoscaler=~': oneOf(autoscaled) };
    alerts.push({
      alert: 'HpaAtMaxReplicas',
      expr: `${selector('kube_horizontalpodautoscaler_status_current_replicas', hpa)} >= ${selector('kube_horizontalpodautoscaler_spec_max_replicas', hpa)}`,
      for: thresholds.hpaAtMaxFor,
      severity: 'warning',
      summary: `HPA {{ $labels.horizontalpodautoscaler }} has run at its maximum replicas for ${thresholds.hpaAtMaxFor} in ${namespace}.`,
      description: 'The autoscaler cannot add pods any more: load above this point degrades latency. Raise maxReplicas or find what consumes the CPU.',
    });
  }

  alerts.push(
    {
      alert: 'DatabaseDown',
      // `or vector(0)`: also fires when no instance reports at all (pods gone, exporter unreachable).
      expr: `(sum(${selector('cnpg_collector_up', pods)}) or vector(0)) == 0`,
      for: '2m',
      severity: 'critical',
      summary: `No PostgreSQL instance of cluster ${database.name} is up in ${namespace}.`,
      description: `No instance of the CloudNativePG cluster ${namespace}/${database.name} has reported a running PostgreSQL for 2 minutes: the API cannot read or write.`,
    },
    {
      alert: 'DatabasePrimaryMissing',
      expr: `(count(${selector('cnpg_pg_replication_in_recovery', pods)} == 0) or vector(0)) == 0`,
      for: '2m',
      severity: 'critical',
      summary: `Cluster ${database.name} has no primary in ${namespace}.`,
      description: 'No instance reports that it is out of recovery (a primary) for 2 minutes: writes fail until a failover completes.',
    },
    {
      alert: 'DatabaseReplicationLag',
      expr: `${selector('cnpg_pg_replication_lag', pods)} > ${thresholds.replicationLagSeconds}`,
      for: '5m',
      severity: 'warning',
      summary: `Standby {{ $labels.pod }} lags more than ${thresholds.replicationLagSeconds}s behind the primary in ${namespace}.`,
      description: 'The standby has been {{ $value | humanizeDuration }} behind for 5 minutes: a failover now would lose or delay recent writes.',
    },
    {
      alert: 'DatabaseConnectionsSaturated',
      expr:
        `sum by (namespace, pod) (${selector('cnpg_backends_total', pods)})` +
        ` / on (namespace, pod) ${selector('cnpg_pg_settings_setting', { ...pods, name: 'max_connections' })}` +
        ` > ${thresholds.connectionSaturationRatio}`,
      for: '5m',
      severity: 'warning',
      summary: `Instance {{ $labels.pod }} uses more than ${percent(thresholds.connectionSaturationRatio)} of max_connections in ${namespace}.`,
      description: 'Backends use {{ $value | humanizePercentage }} of max_connections: new connections (API pods scaling out, migrations) will soon be refused.',
    },
    {
      alert: 'DatabaseStorageNearlyFull',
      expr:
        `1 - ${selector('kubelet_volume_stats_available_bytes', { ...ns, 'persistentvolumeclaim=~': `${instancePods(database.name)}(-wal)?` })}` +
        ` / ${selector('kubelet_volume_stats_capacity_bytes', { ...ns, 'persistentvolumeclaim=~': `${instancePods(database.name)}(-wal)?` })}` +
        ` > ${thresholds.storageUsedRatio}`,
      for: '10m',
      severity: 'warning',
      summary: `Volume {{ $labels.persistentvolumeclaim }} is more than ${percent(thresholds.storageUsedRatio)} full in ${namespace}.`,
      description: 'The PostgreSQL volume is {{ $value | humanizePercentage }} full; when it fills up PostgreSQL stops accepting writes.',
    },
    {
      alert: 'DatabaseBackupTooOld',
      // `or vector(0)`: no backup reported at all (plugin missing, never succeeded) is as old as it gets.
      expr: `time() - (max(${selector(BARMAN_CLOUD_METRICS.lastAvailableBackup, pods)}) or vector(0)) > ${thresholds.backupMaxAgeHours * 3600}`,
      for: '15m',
      severity: 'critical',
      summary: `The newest base backup of cluster ${database.name} is older than ${thresholds.backupMaxAgeHours}h in ${namespace}.`,
      description:
        'The last successful base backup is {{ $value | humanizeDuration }} old: scheduled backups are failing or not running. ' +
        'A restore would replay all the WAL since then (slow), and retention may soon leave no backup to restore from.',
    },
    {
      alert: 'DatabaseWalArchivingFailing',
      // The newest archive attempt failed: the last failure is later than the last success.
      expr: `${selector('cnpg_pg_stat_archiver_last_failed_time', pods)} > ${selector('cnpg_pg_stat_archiver_last_archived_time', pods)}`,
      for: '5m',
      severity: 'critical',
      summary: `Instance {{ $labels.pod }} cannot archive WAL in ${namespace}.`,
      description:
        'archive_command (the Barman Cloud plugin) has been failing for 5 minutes: nothing written since is in the object store, so losing the volumes now loses it, ' +
        'and WAL piles up in pg_wal until the volume fills.',
    },
    {
      alert: 'MigrationJobFailed',
      expr: `${selector('kube_job_failed', { ...ns, 'job_name=~': targets.migrationJobPattern, condition: 'true' })} > 0`,
      for: '1m',
      severity: 'critical',
      summary: `Migration Job {{ $labels.job_name }} failed in ${namespace}.`,
      description: 'The database migration Job ran out of retries. The new API version cannot become ready until the schema is migrated; the sync of the release is stuck.',
    },
  );
  return alerts;
}
