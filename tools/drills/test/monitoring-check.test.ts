// monitoring-check against a stub of the Prometheus HTTP API (no Prometheus binary here),
// with the expectations read from the real synthesized dist/dev.
import path from 'node:path';
import { main } from '../src/cli';
import { readExpectedMonitoring, type ExpectedMonitoring } from '../src/monitoring/expected';
import type { PrometheusState } from './support/fake-prometheus';
import { startFakePrometheus, type FakePrometheus } from './support/fake-prometheus';
import { captureIo } from './support/io';

const distDir = path.resolve(__dirname, '..', '..', '..', 'dist');
const expected: ExpectedMonitoring = readExpectedMonitoring(distDir, 'dev');

/** What a healthy Prometheus reports for dev: plus prod's group of the same name, with an alert firing there. */
function healthyState(): PrometheusState {
  const rulesDir = '/etc/prometheus/rules/prometheus-kube-prometheus-stack-prometheus-rulefiles-0';
  const group = (namespace: string, environment: string, alerts: readonly string[]) => ({
    name: 'ecodata-alerts',
    file: `${rulesDir}/${namespace}-ecodata-alerts-0b5d1c2e-8d1f-4a0e-9a43-2f1f4d7b6c11.yaml`,
    rules: alerts.map((name) => ({ name, type: 'alerting' as const, health: 'ok' as const, labels: { environment } })),
  });
  return {
    targets: expected.monitors.flatMap((monitor) =>
      [0, 1].map((index) => ({
        scrapePool: `${monitor.scrapePoolPrefix}0`,
        scrapeUrl: `http://10.0.0.${index + 10}:8080/metrics`,
        health: 'up' as const,
        lastError: '',
        labels: { namespace: monitor.namespace, job: monitor.name },
      })),
    ),
    groups: [...expected.ruleGroups.map((rules) => group(rules.namespace, 'dev', rules.alerts)), group('ecodata-prod', 'prod', expected.ruleGroups[0]?.alerts ?? [])],
    alerts: [{ labels: { alertname: 'ApiHighErrorRatio', environment: 'prod', severity: 'critical', namespace: 'ecodata-prod' }, state: 'firing', activeAt: '2026-11-21T10:00:00Z' }],
  };
}

async function check(prometheus: FakePrometheus) {
  const io = captureIo();
  const code = await main(['monitoring-check', '--prometheus-url', prometheus.url, '--env', 'dev', '--dist-dir', distDir], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('monitoring-check', () => {
  let prometheus: FakePrometheus;
  beforeEach(async () => {
    prometheus = await startFakePrometheus(healthyState());
  });
  afterEach(async () => {
    await prometheus.close();
  });

  it('reads the ServiceMonitors, PodMonitor and alert group of dist/dev', () => {
    expect(expected.monitors.map((monitor) => `${monitor.kind} ${monitor.namespace}/${monitor.name}`).sort()).toEqual([
      'PodMonitor ecodata-dev/database',
      'ServiceMonitor ecodata-dev/api',
      'ServiceMonitor ecodata-dev/front',
    ]);
    expect(expected.ruleGroups.map((group) => group.group)).toEqual(['ecodata-alerts']);
    expect(expected.ruleGroups[0]?.alerts).toEqual(expect.arrayContaining(['ApiHighErrorRatio', 'DatabaseDown', 'MigrationJobFailed']));
  });

  it('passes when every target is up, every alert is loaded and none fires in the environment', async () => {
    const result = await check(prometheus);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/ok {3}targets PodMonitor ecodata-dev\/database: 2 target\(s\) up/);
    expect(result.stdout).toMatch(new RegExp(`ok {3}rules ecodata-dev/ecodata-alerts group ecodata-alerts: ${expected.ruleGroups[0]?.alerts.length} alert\\(s\\) loaded`));
    expect(result.stdout).toMatch(/ok {3}alerts dev: none firing/);
    expect(prometheus.requests.sort()).toEqual(['/api/v1/alerts', '/api/v1/rules?type=alert', '/api/v1/targets?state=active']);
  });

  it('fails naming the monitor when one of its targets is down', async () => {
    const target = prometheus.state.targets.find((candidate) => candidate.scrapePool.startsWith('podMonitor/ecodata-dev/database/'));
    Object.assign(target ?? {}, { health: 'down', lastError: 'dial tcp 10.0.0.10:9187: connect: connection refused' });
    const result = await check(prometheus);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL targets PodMonitor ecodata-dev\/database: 1 of 2 target\(s\) not up, e\.g\. http:\/\/10\.0\.0\.10:8080\/metrics is down: dial tcp/);
    expect(result.stderr).toBe('monitoring-check: 1 of 5 checks failed: targets PodMonitor ecodata-dev/database');
  });

  it('fails when a monitor has no target at all', async () => {
    prometheus.state.targets = prometheus.state.targets.filter((target) => !target.scrapePool.startsWith('serviceMonitor/ecodata-dev/front/'));
    const result = await check(prometheus);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL targets ServiceMonitor ecodata-dev\/front: no active target in scrape pool serviceMonitor\/ecodata-dev\/front\/\*/);
  });

  it('fails naming the alert when one of the environment\'s alerts is firing', async () => {
    prometheus.state.alerts.push({ labels: { alertname: 'DatabaseDown', environment: 'dev', severity: 'critical' }, state: 'firing', activeAt: '2026-11-21T11:00:00Z' });
    prometheus.state.alerts.push({ labels: { alertname: 'ApiHighLatencyP99', environment: 'dev', severity: 'warning' }, state: 'pending' });
    const result = await check(prometheus);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL alerts dev: 1 firing: DatabaseDown \(critical\) since 2026-11-21T11:00:00Z/);
  });

  it('passes but lists pending alerts', async () => {
    prometheus.state.alerts.push({ labels: { alertname: 'ApiHighLatencyP99', environment: 'dev', severity: 'warning' }, state: 'pending' });
    const result = await check(prometheus);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok {3}alerts dev: none firing, 1 pending: ApiHighLatencyP99 \(warning\)/);
  });

  it('fails when the loaded rule group lacks an alert of the synthesized PrometheusRule', async () => {
    const group = prometheus.state.groups.find((candidate) => candidate.file.includes('/ecodata-dev-'));
    Object.assign(group ?? {}, { rules: group?.rules.filter((rule) => rule.name !== 'MigrationJobFailed') });
    const result = await check(prometheus);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL rules ecodata-dev\/ecodata-alerts group ecodata-alerts: alert\(s\) missing: MigrationJobFailed/);
  });

  it('fails when a rule does not evaluate', async () => {
    const group = prometheus.state.groups.find((candidate) => candidate.file.includes('/ecodata-dev-'));
    Object.assign(group?.rules[0] ?? {}, { health: 'err', lastError: 'many-to-many matching not allowed' });
    const result = await check(prometheus);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL rules .*1 rule\(s\) fail to evaluate, e\.g\. \w+: many-to-many matching not allowed/);
  });

  it('fails when the rule group is not loaded at all', async () => {
    prometheus.state.groups = [];
    const result = await check(prometheus);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL rules ecodata-dev\/ecodata-alerts group ecodata-alerts: group not loaded \(loaded groups: none\)/);
  });

  it('fails with the HTTP status when the URL is not a Prometheus API', async () => {
    const io = captureIo();
    const code = await main(['monitoring-check', '--prometheus-url', `${prometheus.url}/not-prometheus`, '--env', 'dev', '--dist-dir', distDir], io);
    expect(code).toBe(1);
    expect(io.stderr()).toMatch(/^monitoring-check: GET http:\/\/127\.0\.0\.1:\d+\/not-prometheus\/api\/v1\/\w+\S*: HTTP 404 "404 page not found"$/);
  });

  it('fails with a clear message when the dist directory has no manifests for the environment', async () => {
    const io = captureIo();
    const code = await main(['monitoring-check', '--prometheus-url', prometheus.url, '--env', 'dev', '--dist-dir', path.join(distDir, 'no-such-dir')], io);
    expect(code).toBe(1);
    expect(io.stderr()).toMatch(/cannot read the synthesized manifests in .*no-such-dir\/dev \(ENOENT\); run "npm run synth" or pass --dist-dir/);
  });
});
