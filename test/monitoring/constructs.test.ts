// Unit tests of the monitoring constructs and of the monitoring configuration.
import { Testing } from 'cdk8s';
import { AlertingRules } from '../../constructs/monitoring/alerting-rules';
import { AppServiceMonitor } from '../../constructs/monitoring/app-service-monitor';
import { DatabasePodMonitor } from '../../constructs/monitoring/database-pod-monitor';
import { GrafanaDashboard } from '../../constructs/monitoring/grafana-dashboard';
import { runbookSlug, runbookUrl } from '../../constructs/monitoring/runbooks';
import { environments } from '../../environments';
import { parseEnvironment } from '../../environments/load';
import type { KubeObject } from '../support/dist';

const alert = { alert: 'ApiUnavailable', expr: 'up == 0', for: '2m', severity: 'critical' as const, summary: 's', description: 'd' };

test('runbook pages are the kebab-case alert names', () => {
  expect(runbookSlug('ApiHighLatencyP99')).toBe('api-high-latency-p99');
  expect(runbookSlug('HpaAtMaxReplicas')).toBe('hpa-at-max-replicas');
  expect(runbookUrl('https://github.com/o/r/', 'DatabaseDown')).toBe('https://github.com/o/r/blob/main/docs/runbooks/database-down.md');
});

test('a ServiceMonitor scrapes the named port on /metrics every 30 s by default', () => {
  const chart = Testing.chart();
  new AppServiceMonitor(chart, 'M', { name: 'api', selector: { 'app.kubernetes.io/name': 'api' }, port: 'http', labels: { release: 'kps' } });
  const [object] = Testing.synth(chart) as KubeObject[];
  expect(object.metadata).toMatchObject({ name: 'api', labels: { release: 'kps' } });
  expect(object.spec).toEqual({
    selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    endpoints: [{ port: 'http', path: '/metrics', interval: '30s', scrapeTimeout: '10s' }],
  });
});

test('monitors refuse an empty selector, which would scrape everything in the namespace', () => {
  expect(() => new AppServiceMonitor(Testing.chart(), 'M', { name: 'api', selector: {}, port: 'http' })).toThrow('selector must not be empty');
  expect(() => new DatabasePodMonitor(Testing.chart(), 'M', { name: 'database', selector: {} })).toThrow('selector must not be empty');
});

test('a PodMonitor scrapes the port named metrics by default', () => {
  const chart = Testing.chart();
  new DatabasePodMonitor(chart, 'M', { name: 'database', selector: { 'cnpg.io/cluster': 'database' }, interval: '15s' });
  const [object] = Testing.synth(chart) as KubeObject[];
  expect(object.spec.podMetricsEndpoints).toEqual([{ port: 'metrics', interval: '15s', scrapeTimeout: '10s' }]);
});

test('alerting rules label and annotate every alert and reject duplicates', () => {
  const chart = Testing.chart();
  new AlertingRules(chart, 'R', { name: 'rules', environment: 'dev', alerts: [alert], repositoryUrl: 'https://example.com/r' });
  const [object] = Testing.synth(chart) as KubeObject[];
  expect(object.spec.groups[0].rules[0]).toEqual({
    alert: 'ApiUnavailable',
    expr: 'up == 0',
    for: '2m',
    labels: { severity: 'critical', environment: 'dev' },
    annotations: { summary: 's', description: 'd', runbook_url: 'https://example.com/r/blob/main/docs/runbooks/api-unavailable.md' },
  });
  expect(() => new AlertingRules(Testing.chart(), 'R', { name: 'rules', environment: 'dev', alerts: [alert, alert], repositoryUrl: 'https://example.com/r' })).toThrow(
    'alert ApiUnavailable is defined twice',
  );
});

test('a dashboard ConfigMap carries the Grafana sidecar label and one JSON file', () => {
  const chart = Testing.chart();
  new GrafanaDashboard(chart, 'D', { name: 'board', dashboard: { uid: 'u', panels: [] } });
  const [object] = Testing.synth(chart) as KubeObject[];
  expect(object.metadata.labels).toEqual({ grafana_dashboard: '1' });
  expect(JSON.parse(object.data['board.json'])).toEqual({ uid: 'u', panels: [] });
});

test.each([
  [{ alerts: { apiErrorRatio: 1.5 } }, 'monitoring.alerts.apiErrorRatio'],
  [{ alerts: { hpaAtMaxFor: 'ten minutes' } }, 'monitoring.alerts.hpaAtMaxFor: must be a duration'],
  [{ alerts: { p99: 1 } }, 'monitoring.alerts'],
  [{ repositoryUrl: 'http://example.com/r' }, 'monitoring.repositoryUrl'],
  [{ migrationJobPattern: '(' }, 'monitoring.migrationJobPattern: must be a regular expression'],
  [{ labels: { 'bad label': 'x' } }, 'monitoring.labels'],
])('a bad monitoring setting %j is rejected naming the field', (monitoring, message) => {
  expect(() => parseEnvironment('dev', { ...environments.dev, monitoring } as typeof environments.dev)).toThrow(message);
});

test('monitoring settings left out get their documented defaults', () => {
  const { monitoring: _omitted, ...rest } = environments.test;
  expect(parseEnvironment('test', rest).monitoring).toEqual({
    repositoryUrl: 'https://github.com/ecodata/ecodata-gitops',
    scrapeInterval: '30s',
    labels: { release: 'kube-prometheus-stack' },
    migrationJobPattern: '.*migrat.*',
    alerts: { apiErrorRatio: 0.05, apiLatencyP99Seconds: 1, hpaAtMaxFor: '15m', replicationLagSeconds: 30, connectionSaturationRatio: 0.8, storageUsedRatio: 0.85, backupMaxAgeHours: 26 },
  });
});
