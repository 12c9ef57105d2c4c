import { Testing } from 'cdk8s';
import { WebService, type WebServiceProps } from '../../constructs/web-service';
import type { KubeObject } from '../support/dist';
import { IMAGE, only, RESOURCES } from './helpers';

function synth(props: Partial<WebServiceProps> = {}): KubeObject[] {
  const chart = Testing.chart();
  new WebService(chart, 'Api', { name: 'api', image: IMAGE, version: '1.0.0', resources: RESOURCES, ...props });
  return Testing.synth(chart) as KubeObject[];
}

describe('WebService defaults', () => {
  const objects = synth();
  const deployment = only(objects, 'Deployment');
  const container = deployment.spec.template.spec.containers[0];

  test('creates a ServiceAccount, Deployment, Service and PodDisruptionBudget named after the service, and no HPA', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/api',
      'PodDisruptionBudget/api',
      'Service/api',
      'ServiceAccount/api',
    ]);
  });

  test('selects pods by stable app.kubernetes.io labels instead of a construct-path label', () => {
    const selector = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/part-of': 'ecodata' };
    expect(deployment.spec.selector.matchLabels).toEqual(selector);
    expect(only(objects, 'Service').spec.selector).toEqual(selector);
    expect(only(objects, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual(selector);
    expect(deployment.spec.template.metadata.labels).not.toHaveProperty(['cdk8s.io/metadata.addr']);
  });

  test('runs two replicas with a surge-only rolling update', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxSurge: 1, maxUnavailable: 0 });
  });

  test('uses the given resources instead of the cdk8s-plus defaults', () => {
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
  });

  test('serves the application on 8080 and probes /healthz and /readyz on the management port 9090', () => {
    expect(container.ports).toEqual([
      { containerPort: 8080, name: 'http' },
      { containerPort: 9090, name: 'management' },
    ]);
    expect(container.startupProbe.httpGet).toMatchObject({ path: '/healthz', port: 9090 });
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/healthz', port: 9090 });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/readyz', port: 9090 });
    expect(only(objects, 'Service').spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 8080 },
      { name: 'management', port: 9090, targetPort: 9090 },
    ]);
  });

  test('waits 5 s in preStop within a 30 s grace period', () => {
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
  });

  test('pulls IfNotPresent and has no service account token', () => {
    expect(container.imagePullPolicy).toBe('IfNotPresent');
    expect(deployment.spec.template.spec.automountServiceAccountToken).toBe(false);
    expect(only(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
  });

  test('does not spread pods by default', () => {
    expect(deployment.spec.template.spec.topologySpreadConstraints).toBeUndefined();
  });
});

describe('WebService props', () => {
  test('autoscaling adds an autoscaling/v2 HPA and leaves replicas to it', () => {
    const objects = synth({ autoscaling: { minReplicas: 3, maxReplicas: 9, targetCpuUtilizationPercent: 60 } });
    const hpa = only(objects, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 9, scaleTargetRef: { kind: 'Deployment', name: 'api' } });
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(only(objects, 'Deployment').spec).not.toHaveProperty('replicas');
  });

  test('replicas sets a fixed count', () => {
    expect(only(synth({ replicas: 4 }), 'Deployment').spec.replicas).toBe(4);
  });

  test('topologySpread spreads over zones and nodes', () => {
    const constraints = only(synth({ topologySpread: true }), 'Deployment').spec.template.spec.topologySpreadConstraints;
    expect(constraints.map((c: { topologyKey: string }) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(constraints.map((c: { whenUnsatisfiable: string }) => c.whenUnsatisfiable)).toEqual(['DoNotSchedule', 'ScheduleAnyway']);
    for (const constraint of constraints) expect(constraint).toMatchObject({ maxSkew: 1, matchLabelKeys: ['pod-template-hash'], nodeTaintsPolicy: 'Honor' });
  });

  test('env and secretEnv become container variables, secrets by reference only', () => {
    const container = only(synth({ env: { LOG_LEVEL: 'debug' }, secretEnv: { DATABASE_URL: { secretName: 'db-app', key: 'uri' } } }), 'Deployment').spec
      .template.spec.containers[0];
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', value: 'debug' },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'db-app', key: 'uri' } } },
    ]);
  });

  test('port, probe paths, preStop delay, grace period and uid can be changed', () => {
    const deployment = only(
      synth({ port: 9000, managementPort: 9100, livenessPath: '/live', readinessPath: '/ready', preStopDelaySeconds: 10, terminationGracePeriodSeconds: 60, runAsUser: 20000 }),
      'Deployment',
    );
    const container = deployment.spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ containerPort: 9000, name: 'http' }, { containerPort: 9100, name: 'management' }]);
    expect(container.livenessProbe.httpGet).toMatchObject({ path: '/live', port: 9100 });
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 9100 });
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '10']);
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(60);
    expect(deployment.spec.template.spec.securityContext.runAsUser).toBe(20000);
  });

  test('component and version become labels', () => {
    const labels = only(synth({ component: 'backend', version: '2.0.0' }), 'Deployment').metadata.labels;
    expect(labels).toMatchObject({ 'app.kubernetes.io/component': 'backend', 'app.kubernetes.io/version': '2.0.0' });
  });
});

describe('WebService rejects contradictory props', () => {
  test('a management port equal to the application port', () => {
    expect(() => synth({ port: 8080, managementPort: 8080 })).toThrow('WebService api: managementPort (8080) must differ from port');
  });

  test('replicas together with autoscaling', () => {
    expect(() => synth({ replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 3, targetCpuUtilizationPercent: 70 } })).toThrow(
      'WebService api: set either replicas or autoscaling, not both',
    );
  });

  test('minReplicas above maxReplicas', () => {
    expect(() => synth({ autoscaling: { minReplicas: 4, maxReplicas: 3, targetCpuUtilizationPercent: 70 } })).toThrow('exceeds maxReplicas');
  });

  test('an image without a digest', () => {
    expect(() => synth({ image: 'ghcr.io/o/ecodata-api:1.0.0' })).toThrow('image must be pinned by digest');
  });

  test('a grace period not longer than the preStop delay', () => {
    expect(() => synth({ preStopDelaySeconds: 30, terminationGracePeriodSeconds: 30 })).toThrow('must exceed preStopDelaySeconds');
  });
});
