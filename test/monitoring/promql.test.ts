// The PromQL checks used on the generated rules and panels must be able to fail.
import { API_METRICS, FRONT_METRICS } from '../../constructs/monitoring/app-metrics';
import { selector } from '../../constructs/monitoring/promql';
import { knownMetricNames, unknownMetrics } from './known-metrics';
import { parsePromql, substituteGrafanaVariables } from './promql';

test('a well-formed expression parses and yields its metric names', () => {
  const parsed = parsePromql('sum by (le) (rate(a_bucket{job="api"}[5m])) / on (pod) b{name="max_connections"} or vector(0)');
  expect(parsed).toEqual({ errors: [], metrics: ['a_bucket', 'b'] });
});

test.each([
  ['an unbalanced parenthesis', 'sum(rate(x[5m])'],
  ['an unquoted label value', 'x{job=api}'],
  ['a dangling operator', 'x >'],
  ['an empty expression', ''],
])('an expression with %s is reported as a syntax error', (_what, expr) => {
  expect(parsePromql(expr).errors.length).toBeGreaterThan(0);
});

test('Grafana interval variables become durations, other variables stay and fail to parse', () => {
  expect(parsePromql(substituteGrafanaVariables('rate(x[$__rate_interval])')).errors).toEqual([]);
  expect(parsePromql(substituteGrafanaVariables('rate(x[$window])')).errors.length).toBeGreaterThan(0);
});

test('selector() quotes label values and renders matcher operators', () => {
  expect(selector('x', { job: 'a"b', 'status=~': '5..', 'route!~': '/healthz' })).toBe('x{job="a\\"b",status=~"5..",route!~"/healthz"}');
  expect(parsePromql(selector('x', { job: 'a"b' })).errors).toEqual([]);
  expect(() => selector('x', { 'bad key': 'v' })).toThrow('invalid label matcher key "bad key"');
});

describe('the known metric names', () => {
  let known: ReadonlySet<string>;
  beforeAll(async () => {
    known = await knownMetricNames();
  });

  test('include the histograms and pool gauges the apps register, as scraped series', () => {
    for (const name of [`${API_METRICS.requestDuration}_bucket`, `${API_METRICS.requestDuration}_count`, API_METRICS.poolConnections, API_METRICS.poolWaiting, `${FRONT_METRICS.requestDuration}_bucket`]) {
      expect(known).toContain(name);
    }
  });

  test('do not include a histogram under its bare name, which Prometheus never stores', () => {
    expect(known).not.toContain(API_METRICS.requestDuration);
  });

  test('reject a misspelled metric name', () => {
    expect(unknownMetrics(['http_requests_duration_seconds_count', 'cnpg_pg_replication_lag'], known)).toEqual(['http_requests_duration_seconds_count']);
  });
});
