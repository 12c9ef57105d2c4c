import { ApiObject, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { assignEnvironmentWaves, EnvironmentWave, environmentWaveOf, setSyncWave } from '../../constructs/argocd/sync-waves';
import type { KubeObject } from '../support/dist';

const waveOf = (objects: KubeObject[], kind: string) => objects.find((o) => o.kind === kind)!.metadata.annotations?.['argocd.argoproj.io/sync-wave'];

test('orders namespace, configuration, database, migration and workloads strictly', () => {
  const order = [EnvironmentWave.namespace, EnvironmentWave.configuration, EnvironmentWave.database, EnvironmentWave.migration, EnvironmentWave.workloads];
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(new Set(order).size).toBe(order.length);
});

test('maps kinds by API group and kind, and everything else to the workloads wave', () => {
  expect(environmentWaveOf('v1', 'Namespace')).toBe(EnvironmentWave.namespace);
  expect(environmentWaveOf('networking.k8s.io/v1', 'NetworkPolicy')).toBe(EnvironmentWave.configuration);
  expect(environmentWaveOf('postgresql.cnpg.io/v1', 'Cluster')).toBe(EnvironmentWave.database);
  expect(environmentWaveOf('apps/v1', 'Deployment')).toBe(EnvironmentWave.workloads);
  expect(environmentWaveOf('example.com/v1', 'Namespace')).toBe(EnvironmentWave.workloads);
});

test('assigns waves by kind but keeps a wave an object already set', () => {
  const chart = Testing.chart();
  new kplus.k8s.KubeNamespace(chart, 'Namespace', { metadata: { name: 'n' } });
  new kplus.k8s.KubeConfigMap(chart, 'ConfigMap', { metadata: { name: 'c' } });
  const job = new ApiObject(chart, 'Job', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' } });
  setSyncWave(job, 7);
  assignEnvironmentWaves(chart);
  const objects = Testing.synth(chart) as KubeObject[];
  expect(waveOf(objects, 'Namespace')).toBe('-2');
  expect(waveOf(objects, 'ConfigMap')).toBe('-1');
  expect(waveOf(objects, 'Job')).toBe('7');
});
