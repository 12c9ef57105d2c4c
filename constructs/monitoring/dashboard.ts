// The environment's Grafana dashboard as a JSON model built from typed panels, so every
// query is generated from the same names and selectors as the alerts (and tested the same
// way). Queries use Grafana's `$__rate_interval`; the datasource is a dashboard variable.
import { API_METRICS, FRONT_METRICS, PROBE_ROUTES } from './app-metrics';
import { oneOf, selector } from './promql';
import { instancePods, type MonitoredService, type MonitoringTargets } from './targets';

export interface PanelQuery {
  readonly expr: string;
  /** Series name shown in the legend (Grafana template, e.g. `{{pod}}`). */
  readonly legend: string;
}

export interface PanelDefinition {
  readonly title: string;
  readonly description: string;
  /** Grafana unit id (reqps, percentunit, s, short, bytes, ...). */
  readonly unit: string;
  readonly queries: readonly PanelQuery[];
}

const RATE = '$__rate_interval';
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };

function httpPanels(service: MonitoredService, metric: string, ns: string, label: string): PanelDefinition[] {
  const series = (suffix: string, matchers: Record<string, string> = {}) =>
    selector(`${metric}_${suffix}`, { namespace: ns, job: service.name, ...matchers });
  const quantile = (q: number) =>
    `histogram_quantile(${q}, sum by (le) (rate(${series('bucket', { 'route!~': oneOf(PROBE_ROUTES) })}[${RATE}])))`;
  return [
    {
      title: `${label} request rate`,
      description: `Requests per second answered by the ${service.name} pods, by status code.`,
      unit: 'reqps',
      queries: [{ expr: `sum by (status) (rate(${series('count')}[${RATE}]))`, legend: '{{status}}' }],
    },
    {
      title: `${label} error ratio`,
      description: 'Share of responses with a 5xx status.',
      unit: 'percentunit',
      queries: [{ expr: `sum(rate(${series('count', { 'status=~': '5..' })}[${RATE}])) / sum(rate(${series('count')}[${RATE}]))`, legend: '5xx' }],
    },
    {
      title: `${label} latency`,
      description: 'Latency percentiles of application routes (probes and /metrics excluded).',
      unit: 's',
      queries: [0.5, 0.9, 0.99].map((q) => ({ expr: quantile(q), legend: `p${q * 100}` })),
    },
  ];
}

/** The panels of the environment's dashboard, in display order. */
export function dashboardPanels(targets: MonitoringTargets): PanelDefinition[] {
  const { namespace, api, front, database } = targets;
  const ns = { namespace };
  const workloads = oneOf([api.name, front.name]);
  const pods = { ...ns, 'pod=~': instancePods(database.name) };
  const autoscaled = [api, front].filter((service) => service.autoscaling !== undefined).map((service) => service.name);
  const replicaQueries: PanelQuery[] = [
    { expr: selector('kube_deployment_status_replicas_available', { ...ns, 'deployment=~': workloads }), legend: '{{deployment}} available' },
    { expr: selector('kube_deployment_spec_replicas', { ...ns, 'deployment=~': workloads }), legend: '{{deployment}} desired' },
  ];
  if (autoscaled.length > 0) {
    const hpa = { ...ns, 'horizontalpodautoscaler=~': oneOf(autoscaled) };
    replicaQueries.push(
      { expr: selector('kube_horizontalpodautoscaler_spec_min_replicas', hpa), legend: '{{horizontalpodautoscaler}} HPA min' },
      { expr: selector('kube_horizontalpodautoscaler_spec_max_replicas', hpa), legend: '{{horizontalpodautoscaler}} HPA max' },
    );
  }
  const containers = { ...ns, 'container=~': workloads };

  return [
    ...httpPanels(api, API_METRICS.requestDuration, namespace, 'API'),
    ...httpPanels(front, FRONT_METRICS.requestDuration, namespace, 'Front'),
    {
      title: 'Pods and replicas vs HPA bounds',
      description: autoscaled.length > 0 ? 'Available and desired replicas against the HPA minimum and maximum.' : 'Available and desired replicas (fixed: no HPA in this environment).',
      unit: 'short',
      queries: replicaQueries,
    },
    {
      title: 'CPU',
      description: 'CPU used per pod against its request (the HPA target is a share of the request).',
      unit: 'short',
      queries: [
        { expr: `sum by (pod) (rate(${selector('container_cpu_usage_seconds_total', containers)}[${RATE}]))`, legend: '{{pod}}' },
        { expr: `sum by (pod) (${selector('kube_pod_container_resource_requests', { ...containers, resource: 'cpu' })})`, legend: '{{pod}} request' },
      ],
    },
    {
      title: 'Memory',
      description: 'Working set per pod against its limit (the OOM killer acts at the limit).',
      unit: 'bytes',
      queries: [
        { expr: `sum by (pod) (${selector('container_memory_working_set_bytes', containers)})`, legend: '{{pod}}' },
        { expr: `sum by (pod) (${selector('kube_pod_container_resource_limits', { ...containers, resource: 'memory' })})`, legend: '{{pod}} limit' },
      ],
    },
    {
      title: 'Database connections',
      description: 'PostgreSQL backends per instance and state against max_connections, and the API pools.',
      unit: 'short',
      queries: [
        { expr: `sum by (pod, state) (${selector('cnpg_backends_total', pods)})`, legend: '{{pod}} {{state}}' },
        { expr: selector('cnpg_pg_settings_setting', { ...pods, name: 'max_connections' }), legend: '{{pod}} max_connections' },
        { expr: `sum(${selector(API_METRICS.poolConnections, { ...ns, job: api.name })})`, legend: 'API pool connections' },
        { expr: `sum(${selector(API_METRICS.poolWaiting, { ...ns, job: api.name })})`, legend: 'API requests waiting for a connection' },
      ],
    },
    {
      title: 'Transactions',
      description: `Commits and rollbacks per second in database ${database.databaseName}.`,
      unit: 'ops',
      queries: [
        { expr: `sum by (pod) (rate(${selector('cnpg_pg_stat_database_xact_commit', { ...pods, datname: database.databaseName })}[${RATE}]))`, legend: '{{pod}} commits' },
        { expr: `sum by (pod) (rate(${selector('cnpg_pg_stat_database_xact_rollback', { ...pods, datname: database.databaseName })}[${RATE}]))`, legend: '{{pod}} rollbacks' },
      ],
    },
    {
      title: 'Replication lag',
      description: 'Seconds each standby is behind the primary (0 on the primary).',
      unit: 's',
      queries: [{ expr: selector('cnpg_pg_replication_lag', pods), legend: '{{pod}}' }],
    },
  ];
}

export interface DashboardOptions {
  /** Stable dashboard uid (links and bookmarks survive re-imports). */
  readonly uid: string;
  readonly title: string;
  readonly tags?: readonly string[];
}

/** A Grafana dashboard JSON model: two panels per row, 8 units high. */
export function grafanaDashboard(panels: readonly PanelDefinition[], options: DashboardOptions): Record<string, unknown> {
  return {
    uid: options.uid,
    title: options.title,
    tags: [...(options.tags ?? [])],
    editable: false,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [{ name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', current: {}, hide: 0 }],
    },
    panels: panels.map((panel, index) => ({
      id: index + 1,
      type: 'timeseries',
      title: panel.title,
      description: panel.description,
      datasource: DATASOURCE,
      gridPos: { x: (index % 2) * 12, y: Math.floor(index / 2) * 8, w: 12, h: 8 },
      fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
      targets: panel.queries.map((query, queryIndex) => ({
        refId: String.fromCharCode(65 + queryIndex),
        datasource: DATASOURCE,
        expr: query.expr,
        legendFormat: query.legend,
      })),
    })),
  };
}
