// Metric names that exporters outside this repository expose, written down from their
// sources so tests can tell a typo in an alert or panel from a real series. Update them
// together with the exporter versions.

/**
 * CloudNativePG v1.30.0 (`cloudnativePg.appVersion` in environments/platform.ts): the built-in collector
 * (pkg/management/postgres/webserver/metricserver/pg_collector.go, namespace `cnpg`,
 * subsystem `collector`) and the default queries (config/manager/default-monitoring.yaml),
 * which are named `cnpg_<query>_<column>`.
 */
export const CLOUDNATIVE_PG_METRICS = [
  'cnpg_collector_collections_total',
  'cnpg_collector_collection_errors_total',
  'cnpg_collector_last_collection_error',
  'cnpg_collector_up',
  'cnpg_collector_collection_duration_seconds',
  'cnpg_collector_manual_switchover_required',
  'cnpg_collector_sync_replicas',
  'cnpg_collector_replica_mode',
  'cnpg_collector_pg_wal_archive_status',
  'cnpg_collector_postgres_version',
  'cnpg_collector_pg_wal',
  'cnpg_collector_first_recoverability_point',
  'cnpg_collector_last_available_backup_timestamp',
  'cnpg_collector_last_failed_backup_timestamp',
  'cnpg_collector_fencing_on',
  'cnpg_collector_nodes_used',
  'cnpg_backends_total',
  'cnpg_backends_max_tx_duration_seconds',
  'cnpg_backends_waiting_total',
  'cnpg_pg_database_size_bytes',
  'cnpg_pg_database_xid_age',
  'cnpg_pg_database_mxid_age',
  'cnpg_pg_postmaster_start_time',
  'cnpg_pg_replication_lag',
  'cnpg_pg_replication_in_recovery',
  'cnpg_pg_replication_is_wal_receiver_up',
  'cnpg_pg_replication_streaming_replicas',
  'cnpg_pg_replication_slots_active',
  'cnpg_pg_replication_slots_pg_wal_lsn_diff',
  'cnpg_pg_stat_archiver_archived_count',
  'cnpg_pg_stat_archiver_failed_count',
  'cnpg_pg_stat_archiver_seconds_since_last_archival',
  'cnpg_pg_stat_archiver_last_archived_time',
  'cnpg_pg_stat_archiver_last_failed_time',
  'cnpg_pg_stat_database_xact_commit',
  'cnpg_pg_stat_database_xact_rollback',
  'cnpg_pg_stat_database_blks_read',
  'cnpg_pg_stat_database_blks_hit',
  'cnpg_pg_stat_database_tup_returned',
  'cnpg_pg_stat_database_tup_fetched',
  'cnpg_pg_stat_database_tup_inserted',
  'cnpg_pg_stat_database_tup_updated',
  'cnpg_pg_stat_database_tup_deleted',
  'cnpg_pg_stat_database_conflicts',
  'cnpg_pg_stat_database_temp_files',
  'cnpg_pg_stat_database_temp_bytes',
  'cnpg_pg_stat_database_deadlocks',
  'cnpg_pg_stat_replication_replay_lag_seconds',
  'cnpg_pg_stat_replication_write_lag_seconds',
  'cnpg_pg_stat_replication_flush_lag_seconds',
  'cnpg_pg_settings_setting',
] as const;

/**
 * Barman Cloud plugin v0.15.0 (`barmanCloudPlugin.pluginVersion` in environments/platform.ts):
 * internal/cnpgi/instance/metrics.go defines these through CNPG-I, and the instance manager
 * of CloudNativePG 1.30 (internal/cnpi/plugin/client/metrics.go) exports them under their
 * own fully qualified names.
 */
export const BARMAN_CLOUD_PLUGIN_METRICS = [
  'barman_cloud_cloudnative_pg_io_first_recoverability_point',
  'barman_cloud_cloudnative_pg_io_last_available_backup_timestamp',
  'barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp',
] as const;

/** kube-state-metrics 2.x (docs/metrics/workload/{deployment,horizontalpodautoscaler,job,pod}-metrics.md). */
export const KUBE_STATE_METRICS = [
  'kube_deployment_spec_replicas',
  'kube_deployment_status_replicas',
  'kube_deployment_status_replicas_available',
  'kube_deployment_status_replicas_ready',
  'kube_deployment_status_replicas_unavailable',
  'kube_deployment_status_replicas_updated',
  'kube_horizontalpodautoscaler_spec_max_replicas',
  'kube_horizontalpodautoscaler_spec_min_replicas',
  'kube_horizontalpodautoscaler_status_current_replicas',
  'kube_horizontalpodautoscaler_status_desired_replicas',
  'kube_job_failed',
  'kube_job_complete',
  'kube_job_status_failed',
  'kube_job_status_succeeded',
  'kube_pod_container_resource_requests',
  'kube_pod_container_resource_limits',
  'kube_pod_container_status_restarts_total',
  'kube_pod_status_ready',
] as const;

/** The kubelet's own metrics (volume stats per PVC) and its embedded cAdvisor (per container). */
export const KUBELET_METRICS = [
  'kubelet_volume_stats_available_bytes',
  'kubelet_volume_stats_capacity_bytes',
  'kubelet_volume_stats_used_bytes',
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
] as const;

/** Series Prometheus itself adds to every target. */
export const PROMETHEUS_METRICS = ['up', 'scrape_duration_seconds'] as const;
