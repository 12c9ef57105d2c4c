import { Testing } from 'cdk8s';
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
