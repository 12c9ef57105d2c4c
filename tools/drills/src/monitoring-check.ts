// `monitoring-check`: asks a Prometheus server whether the monitoring of one environment is
// alive: every ServiceMonitor/PodMonitor of dist/<env> has targets and all are up, the
// PrometheusRule groups are loaded with every alert and evaluate without error, and none of
// those alerts is firing. Runs every check, then fails if any did.
import path from 'node:path';
import { baseUrl, integer, parseDrillArgs } from './args';
import type { Drill, Io } from './drill';
import { DrillFailure, UsageError } from './errors';
import { readExpectedMonitoring, type ExpectedMonitoring, type ExpectedRuleGroup } from './monitoring/expected';
import { PrometheusApi, type Alert, type RuleGroup, type Target } from './monitoring/prometheus';

const ENVIRONMENTS = ['dev', 'test', 'prod'] as const;

const HELP = `Usage: npm run monitoring-check -- --prometheus-url <url> --env <dev|test|prod> [options]

Checks one environment's monitoring against a Prometheus server, using what dist/<env>/
declares (ServiceMonitors, PodMonitors, PrometheusRules):
  targets  every monitor has at least one active target and all of them are up
           (prometheus-operator scrape pools serviceMonitor/<ns>/<name>/N, podMonitor/...)
  rules    each PrometheusRule group (ecodata-alerts) is loaded with all its alerts, and
           every rule evaluates without error
  alerts   none of those alerts is firing for the environment (pending ones are listed)

Reach an in-cluster Prometheus with, for example:
  kubectl -n monitoring port-forward svc/kube-prometheus-stack-prometheus 9090
  npm run monitoring-check -- --prometheus-url http://127.0.0.1:9090 --env dev

Options:
  --prometheus-url <url>  Prometheus base URL (a path prefix such as /prometheus is kept)
  --env <name>            environment: ${ENVIRONMENTS.join(', ')}
  --dist-dir <dir>        synthesized manifests (default: dist)
  --timeout-ms <ms>       deadline of each HTTP request (default 10000)
  -h, --help              show this help

Exit codes: 0 all checks passed, 1 a check failed or Prometheus did not answer, 2 bad arguments.`;

export interface CheckResult {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

export function checkTargets(expected: ExpectedMonitoring, targets: readonly Target[]): CheckResult[] {
  return expected.monitors.map((monitor) => {
    const check = `targets ${monitor.kind} ${monitor.namespace}/${monitor.name}`;
    const mine = targets.filter((target) => target.scrapePool.startsWith(monitor.scrapePoolPrefix));
    if (mine.length === 0) return { check, ok: false, detail: `no active target in scrape pool ${monitor.scrapePoolPrefix}* (selector matches no pod, or the monitor is not selected by Prometheus)` };
    const notUp = mine.filter((target) => target.health !== 'up');
    if (notUp.length > 0) {
      const first = notUp[0];
      return { check, ok: false, detail: `${notUp.length} of ${mine.length} target(s) not up, e.g. ${first?.scrapeUrl} is ${first?.health}${first?.lastError ? `: ${first.lastError}` : ''}` };
    }
    return { check, ok: true, detail: `${mine.length} target(s) up` };
  });
}

/** The loaded groups that came from this PrometheusRule (the operator's rule file is `<ns>-<name>-<uid>.yaml`). */
function loadedGroups(expected: ExpectedRuleGroup, groups: readonly RuleGroup[]): RuleGroup[] {
  const named = groups.filter((group) => group.name === expected.group);
  const fromFile = named.filter((group) => path.basename(group.file).startsWith(`${expected.namespace}-${expected.ruleName}-`));
  return fromFile.length > 0 ? fromFile : named;
}

export function checkRules(expected: ExpectedMonitoring, groups: readonly RuleGroup[]): CheckResult[] {
  return expected.ruleGroups.map((ruleGroup) => {
    const check = `rules ${ruleGroup.namespace}/${ruleGroup.ruleName} group ${ruleGroup.group}`;
    const loaded = loadedGroups(ruleGroup, groups);
    if (loaded.length === 0) return { check, ok: false, detail: `group not loaded (loaded groups: ${groups.map((group) => group.name).join(', ') || 'none'})` };
    const rules = loaded.flatMap((group) => group.rules);
    const missing = ruleGroup.alerts.filter((alert) => !rules.some((rule) => rule.type === 'alerting' && rule.name === alert));
    if (missing.length > 0) return { check, ok: false, detail: `alert(s) missing: ${missing.join(', ')}` };
    const broken = rules.filter((rule) => ruleGroup.alerts.includes(rule.name) && rule.health === 'err');
    if (broken.length > 0) return { check, ok: false, detail: `${broken.length} rule(s) fail to evaluate, e.g. ${broken[0]?.name}: ${broken[0]?.lastError ?? 'unknown error'}` };
    return { check, ok: true, detail: `${ruleGroup.alerts.length} alert(s) loaded` };
  });
}

export function checkAlerts(expected: ExpectedMonitoring, alerts: readonly Alert[], namespaces: ReadonlySet<string>): { result: CheckResult; pending: Alert[] } {
  const names = new Set(expected.ruleGroups.flatMap((group) => group.alerts));
  const ours = alerts.filter(
    (alert) => names.has(alert.labels.alertname ?? '') && (alert.labels.environment === expected.environment || namespaces.has(alert.labels.namespace ?? '')),
  );
  const firing = ours.filter((alert) => alert.state === 'firing');
  const pending = ours.filter((alert) => alert.state === 'pending');
  const describe = (alert: Alert) => `${alert.labels.alertname}${alert.labels.severity ? ` (${alert.labels.severity})` : ''}${alert.activeAt ? ` since ${alert.activeAt}` : ''}`;
  const result: CheckResult =
    firing.length > 0
      ? { check: `alerts ${expected.environment}`, ok: false, detail: `${firing.length} firing: ${firing.map(describe).join(', ')}` }
      : { check: `alerts ${expected.environment}`, ok: true, detail: `none firing${pending.length > 0 ? `, ${pending.length} pending: ${pending.map(describe).join(', ')}` : ''}` };
  return { result, pending };
}

async function run(argv: readonly string[], io: Io): Promise<void> {
  const args = parseDrillArgs(argv, {
    'prometheus-url': { type: 'string' },
    env: { type: 'string' },
    'dist-dir': { type: 'string' },
    'timeout-ms': { type: 'string' },
  });
  if (args.help) {
    io.out(HELP);
    return;
  }
  const prometheusUrl = baseUrl(args['prometheus-url'], '--prometheus-url');
  const environment = args.env;
  if (environment === undefined) throw new UsageError(`--env is required (one of ${ENVIRONMENTS.join(', ')})`);
  if (!(ENVIRONMENTS as readonly string[]).includes(environment)) throw new UsageError(`--env must be one of ${ENVIRONMENTS.join(', ')}, got "${environment}"`);
  const timeoutMs = integer(args['timeout-ms'], '--timeout-ms', 10_000, 100, 600_000);
  const expected = readExpectedMonitoring(path.resolve(args['dist-dir'] ?? 'dist'), environment);

  const api = new PrometheusApi(prometheusUrl, timeoutMs);
  const [targets, groups, alerts] = await Promise.all([api.targets(), api.ruleGroups(), api.alerts()]);
  const namespaces = new Set([...expected.monitors.map((m) => m.namespace), ...expected.ruleGroups.map((g) => g.namespace)]);
  const results = [...checkTargets(expected, targets), ...checkRules(expected, groups), checkAlerts(expected, alerts, namespaces).result];

  io.out(`monitoring-check: ${prometheusUrl}, environment ${environment}`);
  for (const result of results) io.out(`${result.ok ? 'ok  ' : 'FAIL'} ${result.check}: ${result.detail}`);
  const failed = results.filter((result) => !result.ok);
  if (failed.length > 0) throw new DrillFailure(`${failed.length} of ${results.length} checks failed: ${failed.map((result) => result.check).join('; ')}`);
  io.out(`monitoring-check: all ${results.length} checks passed`);
}

export const monitoringCheck: Drill = { name: 'monitoring-check', summary: 'Prometheus: targets up, ecodata rules loaded, no alert firing', help: HELP, run };
