// The committed Grafana dashboards: shipped for the sidecar, every panel query parses and
// references metrics that the apps or the documented exporters expose.
import { byKind, loadManifests } from '../support/dist';
import { environments } from '../../environments';
import { knownMetricNames, unknownMetrics } from './known-metrics';
import { parsePromql, substituteGrafanaVariables } from './promql';

interface Panel {
  title: string;
  type: string;
  gridPos: { x: number; y: number; w: number; h: number };
  targets: { refId: string; expr: string; legendFormat: string }[];
}

const manifests = loadManifests();
const environmentNames = Object.keys(environments);
const dashboardOf = (environment: string) => {
  const configMaps = byKind(manifests, environment, 'ConfigMap').filter((c) => c.metadata.labels?.grafana_dashboard === '1');
  expect(configMaps).toHaveLength(1);
  const files = Object.entries(configMaps[0].data as Record<string, string>);
  expect(files).toHaveLength(1);
  expect(files[0][0]).toMatch(/\.json$/);
  return JSON.parse(files[0][1]) as { uid: string; title: string; panels: Panel[] };
};
const targets = environmentNames.flatMap((environment) =>
  dashboardOf(environment).panels.flatMap((panel) => panel.targets.map((target) => [`${environment}: ${panel.title} ${target.refId}`, target.expr, environment] as const)),
);

let known: ReadonlySet<string>;
beforeAll(async () => {
  known = await knownMetricNames();
});

test.each(environmentNames)('the %s dashboard has a stable uid and the panels operators need', (environment) => {
  const dashboard = dashboardOf(environment);
  expect(dashboard.uid).toBe(`ecodata-${environment}`);
  const titles = dashboard.panels.map((panel) => panel.title);
  for (const title of ['API request rate', 'API error ratio', 'API latency', 'Front request rate', 'Pods and replicas vs HPA bounds', 'CPU', 'Memory', 'Database connections', 'Transactions', 'Replication lag']) {
    expect(titles).toContain(title);
  }
  const positions = dashboard.panels.map((panel) => `${panel.gridPos.x},${panel.gridPos.y}`);
  expect(new Set(positions).size).toBe(positions.length);
});

test('the prod replicas panel shows the HPA bounds', () => {
  const panel = dashboardOf('prod').panels.find((p) => p.title === 'Pods and replicas vs HPA bounds')!;
  expect(panel.targets.map((t) => t.expr).join('\n')).toContain('kube_horizontalpodautoscaler_spec_max_replicas');
});

describe.each(targets)('panel query %s', (_id, expr, environment) => {
  const substituted = substituteGrafanaVariables(expr);

  test('parses as PromQL once Grafana has substituted its interval variables', () => {
    expect(parsePromql(substituted).errors).toEqual([]);
  });

  test('references only metrics the apps or the documented exporters expose', () => {
    expect(unknownMetrics(parsePromql(substituted).metrics, known)).toEqual([]);
  });

  test('filters on its environment namespace', () => {
    expect(expr).toContain(`namespace="ecodata-${environment}"`);
  });
});
