import { Testing } from 'cdk8s';
import { RestrictedNamespace } from '../../constructs/namespace';
import type { KubeObject } from '../support/dist';

test('labels the Namespace to enforce, warn and audit the restricted Pod Security Standard', () => {
  const chart = Testing.chart();
  new RestrictedNamespace(chart, 'Namespace', { name: 'ecodata-dev', labels: { team: 'eco' } });
  const [namespace] = Testing.synth(chart) as KubeObject[];
  expect(namespace.metadata).toEqual({
    name: 'ecodata-dev',
    labels: {
      team: 'eco',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    },
  });
});
