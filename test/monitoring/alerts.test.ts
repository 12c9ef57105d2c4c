// The committed PrometheusRules: every alert parses, references real metrics, carries its
// labels and annotations, links an existing runbook and uses its environment's thresholds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runbookPath } from '../../constructs/monitoring/runbooks';
import { environments } from '../../environments';
import { parseEnvironment } from '../../environments/load';
import { byKind, loadManifests, repoRoot } from '../support/dist';
import { knownMetricNames, unknownMetrics } from './known-metrics';
import { parsePromql } from './promql';

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const manifests = loadManifests();
const environmentNames = Object.keys(environments);
const rulesOf = (environment: string): Rule[] => {
  const objects = byKind(manifests, environment, 'PrometheusRule');
  expect(objects).toHaveLength(1);
  return objects[0].spec.groups.flatMap((group: { rules: Rule[] }) => group.rules);
};
const allRules = environmentNames.flatMap((environment) => rulesOf(environment).map((rule) => [`${environment}/${rule.alert}`, rule, environment] as const));

const REQUIRED_ALERTS = [
  'ApiHighErrorRatio',
  'ApiHighLatencyP99',
  'ApiUnavailable',
  'FrontUnavailable',
  'DatabaseDown',
  'DatabasePrimaryMissing',
  'DatabaseReplicationLag',
  'DatabaseConnectionsSaturated',
  'DatabaseStorageNearlyFull',
  'DatabaseBackupTooOld',
  'DatabaseWalArchivingFailing',
  'MigrationJobFailed',
];

let known: ReadonlySet<string>;
beforeAll(async () => {
  known = await knownMetricNames();
});

test.each(environmentNames)('%s has every on-call alert exactly once', (environment) => {
  const names = rulesOf(environment).map((rule) => rule.alert);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual(expect.arrayContaining(REQUIRED_ALERTS));
});

test('only environments with an HPA alert on HPAs at their maximum', () => {
  for (const environment of environmentNames) {
    const config = parseEnvironment(environment, environments[environment]);
    const autoscaled = Boolean(config.api.autoscaling || config.front.autoscaling);
    expect([environment, rulesOf(environment).some((rule) => rule.alert === 'HpaAtMaxReplicas')]).toEqual([environment, autoscaled]);
  }
});

describe.each(allRules)('alert %s', (_id, rule, environment) => {
  test('parses as PromQL', () => {
    expect(parsePromql(rule.expr).errors).toEqual([]);
  });

  test('references only metrics the apps or the documented exporters expose', () => {
    expect(unknownMetrics(parsePromql(rule.expr).metrics, known)).toEqual([]);
  });

  test('filters on its environment namespace', () => {
    expect(rule.expr).toContain(`namespace="ecodata-${environment}"`);
  });

  test('has a severity and environment label, a summary, a description and a pending period', () => {
    expect(['critical', 'warning']).toContain(rule.labels.severity);
    expect(rule.labels.environment).toBe(environment);
    expect(rule.annotations.summary.length).toBeGreaterThan(10);
    expect(rule.annotations.description.length).toBeGreaterThan(10);
    expect(rule.for).toMatch(/^[1-9][0-9]*[smh]$/);
  });

  test('links a runbook page that exists in docs/runbooks/', () => {
    const relative = runbookPath(rule.alert);
    expect(rule.annotations.runbook_url).toMatch(new RegExp(`^https://.+/blob/main/${relative}$`));
    expect(fs.existsSync(path.join(repoRoot, relative))).toBe(true);
  });
});

test.each(environmentNames)('%s alert thresholds come from its configuration', (environment) => {
  const { alerts } = parseEnvironment(environment, environments[environment]).monitoring;
  const expr = (alert: string) => rulesOf(environment).find((rule) => rule.alert === alert)!.expr;
  expect(expr('ApiHighErrorRatio')).toMatch(new RegExp(` > ${alerts.apiErrorRatio}$`));
  expect(expr('ApiHighLatencyP99')).toMatch(new RegExp(` > ${alerts.apiLatencyP99Seconds}$`));
  expect(expr('DatabaseReplicationLag')).toMatch(new RegExp(` > ${alerts.replicationLagSeconds}$`));
  expect(expr('DatabaseConnectionsSaturated')).toMatch(new RegExp(` > ${alerts.connectionSaturationRatio}$`));
  expect(expr('DatabaseStorageNearlyFull')).toMatch(new RegExp(` > ${alerts.storageUsedRatio}$`));
  expect(expr('DatabaseBackupTooOld')).toMatch(new RegExp(` > ${alerts.backupMaxAgeHours * 3600}$`));
});

test('prod tolerates fewer API errors and less latency than dev', () => {
  const [dev, prod] = ['dev', 'prod'].map((name) => parseEnvironment(name, environments[name]).monitoring.alerts);
  expect(prod.apiErrorRatio).toBeLessThan(dev.apiErrorRatio);
  expect(prod.apiLatencyP99Seconds).toBeLessThan(dev.apiLatencyP99Seconds);
});

test('the migration alert matches the migration Jobs the environments run', () => {
  for (const environment of environmentNames) {
    const { migrationJobPattern } = parseEnvironment(environment, environments[environment]).monitoring;
    // Prometheus anchors label regexes at both ends.
    const pattern = new RegExp(`^(?:${migrationJobPattern})$`);
    for (const job of byKind(manifests, environment, 'Job')) expect([job.metadata.name, pattern.test(job.metadata.name)]).toEqual([job.metadata.name, true]);
  }
});

test('the runbook index links every runbook page and every page has the three sections', () => {
  const dir = path.join(repoRoot, 'docs', 'runbooks');
  const index = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  const pages = fs.readdirSync(dir).filter((name) => name.endsWith('.md') && name !== 'README.md');
  const alerts = new Set(allRules.map(([, rule]) => path.basename(runbookPath(rule.alert))));
  expect(pages.filter((page) => !alerts.has(page))).toEqual([]);
  for (const page of pages) {
    expect(index).toContain(`(${page})`);
    const text = fs.readFileSync(path.join(dir, page), 'utf8');
    expect([page, /^## What it means$/m.test(text), /^## How to look$/m.test(text), /^## How to fix$/m.test(text)]).toEqual([page, true, true, true]);
  }
});
