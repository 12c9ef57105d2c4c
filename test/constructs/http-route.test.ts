import { Testing } from 'cdk8s';
import { DEFAULT_IMPORT_TIMEOUT_MS } from '../../app/front/src/config';
import { FRONT_IMPORT_REQUEST_TIMEOUT } from '../../constructs/environment-chart';
import { PublicRoute } from '../../constructs/http-route';
import type { KubeObject } from '../support/dist';

test('routes every path of the host to the backend Service through the named Gateway listener', () => {
  const chart = Testing.chart();
  new PublicRoute(chart, 'Route', {
    name: 'front',
    host: 'dev.example.com',
    gateway: { name: 'public', namespace: 'gateway', sectionName: 'https' },
    backend: { name: 'front', port: 8080 },
  });
  const [route] = Testing.synth(chart) as KubeObject[];
  expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
  expect(route.spec).toEqual({
    parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateway', sectionName: 'https' }],
    hostnames: ['dev.example.com'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ group: '', kind: 'Service', name: 'front', port: 8080 }] }],
  });
});

test('gives each slow path an Exact rule with its own request timeout, ahead of the prefix rule', () => {
  const chart = Testing.chart();
  new PublicRoute(chart, 'Route', {
    name: 'front',
    host: 'dev.example.com',
    gateway: { name: 'public', namespace: 'gateway', sectionName: 'https' },
    backend: { name: 'front', port: 8080 },
    slowPaths: [{ path: '/import', requestTimeout: '12m' }],
  });
  const [route] = Testing.synth(chart) as KubeObject[];
  const backendRefs = [{ group: '', kind: 'Service', name: 'front', port: 8080 }];
  expect(route.spec.rules).toEqual([
    { matches: [{ path: { type: 'Exact', value: '/import' } }], backendRefs, timeouts: { request: '12m' } },
    { matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs },
  ]);
});

test("the front's import page may take longer at the gateway than the front allows the import itself", () => {
  const minutes = Number(/^(\d+)m$/.exec(FRONT_IMPORT_REQUEST_TIMEOUT)![1]);
  expect(minutes * 60_000).toBeGreaterThan(DEFAULT_IMPORT_TIMEOUT_MS);
});
