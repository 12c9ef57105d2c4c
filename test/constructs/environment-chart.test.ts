import { App, Testing } from 'cdk8s';
import { EnvironmentChart } from '../../constructs/environment-chart';
import { environments } from '../../environments';
import { parseEnvironment } from '../../environments/load';
import type { KubeObject } from '../support/dist';

const DIGEST = 'c'.repeat(64);
const images = { api: `ghcr.io/o/ecodata-api:3.1.0@sha256:${DIGEST}`, front: `ghcr.io/o/ecodata-front:3.0.9@sha256:${DIGEST}` };

function synth(name: string) {
  const chart = new EnvironmentChart(Testing.app(), name, { config: parseEnvironment(name, environments[name]), images });
  return { chart, objects: Testing.synth(chart) as KubeObject[] };
}

test('composes namespace, database, API, front, route and network policies in the environment namespace', () => {
  const { chart, objects } = synth('dev');
  expect(chart.namespace).toBe('ecodata-dev');
  expect(new Set(objects.map((o) => o.kind))).toEqual(
    new Set(['Namespace', 'Cluster', 'ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'HTTPRoute', 'NetworkPolicy', 'ServiceMonitor', 'PodMonitor', 'PrometheusRule', 'ConfigMap', 'Job', 'ObjectStore', 'ScheduledBackup']),
  );
  expect(chart.api.name).toBe('api');
  expect(chart.database.appSecretName).toBe('database-app');
});

test('gives the API its version, environment, log level, pool size and database URL', () => {
  const env = synth('dev').chart.api.deployment.containers[0].env;
  expect(env.variables.APP_VERSION.value).toBe('3.1.0');
  expect(env.variables.APP_ENV.value).toBe('dev');
  expect(env.variables.LOG_LEVEL.value).toBe('debug');
  expect(env.variables.PG_POOL_MAX.value).toBe('5');
  expect(env.variables.DATABASE_URL.valueFrom).toEqual({ secretKeyRef: { name: 'database-app', key: 'uri' } });
});

test('points the front at the API Service by its namespaced DNS name', () => {
  const env = synth('prod').chart.front.deployment.containers[0].env;
  expect(env.variables.API_URL.value).toBe('http://api.ecodata-prod.svc:8080');
  expect(env.variables.APP_VERSION.value).toBe('3.0.9');
});

test('lets the gateway data-plane namespace and proxy labels differ from the Gateway and Envoy Gateway defaults', () => {
  const gateway = { name: 'eg', namespace: 'gateway', sectionName: 'https-dev', dataPlaneNamespace: 'envoy-gateway-system', dataPlanePodLabels: { app: 'proxy' } };
  const config = parseEnvironment('dev', { ...environments.dev, gateway });
  const chart = new EnvironmentChart(new App(), 'dev', { config, images });
  const front = (Testing.synth(chart) as KubeObject[]).find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'front')!;
  expect(front.spec.ingress[0].from).toEqual([
    { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } }, podSelector: { matchLabels: { app: 'proxy' } } },
  ]);
});

test('a restore renders a new Cluster from the old server, and the API, migration, policies and backups follow its name', () => {
  const input = { ...environments.prod, database: { ...environments.prod.database, restore: { name: 'database-r1', fromServer: 'database', targetTime: '2026-12-01T09:59:00Z' } } };
  const chart = new EnvironmentChart(Testing.app(), 'prod', { config: parseEnvironment('prod', input), images });
  const objects = Testing.synth(chart) as KubeObject[];
  const clusters = objects.filter((o) => o.kind === 'Cluster');
  expect(clusters.map((c) => c.metadata.name)).toEqual(['database-r1']);
  expect(clusters[0].spec.bootstrap.recovery.recoveryTarget).toEqual({ targetTime: '2026-12-01T09:59:00Z' });
  expect(clusters[0].spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: 'database-backups', serverName: 'database' });
  expect(objects.find((o) => o.kind === 'ScheduledBackup')!.spec.cluster).toEqual({ name: 'database-r1' });
  expect(JSON.stringify(objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job'))).toContain('"database-r1-app"');
  expect(objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'database-r1')).toBeDefined();
});
