// Every metric name an alert or panel may reference: what the two apps' registries expose
// plus the documented exporter lists.
import { apiMetricNames, frontMetricNames } from './app-metric-names';
import { BARMAN_CLOUD_PLUGIN_METRICS, CLOUDNATIVE_PG_METRICS, KUBE_STATE_METRICS, KUBELET_METRICS, PROMETHEUS_METRICS } from './exporter-metrics';

export async function knownMetricNames(): Promise<ReadonlySet<string>> {
  return new Set([
    ...(await apiMetricNames()),
    ...(await frontMetricNames()),
    ...CLOUDNATIVE_PG_METRICS,
    ...BARMAN_CLOUD_PLUGIN_METRICS,
    ...KUBE_STATE_METRICS,
    ...KUBELET_METRICS,
    ...PROMETHEUS_METRICS,
  ]);
}

/** Metric names of `metrics` that no known source exposes. */
export function unknownMetrics(metrics: readonly string[], known: ReadonlySet<string>): string[] {
  return metrics.filter((name) => !known.has(name));
}
