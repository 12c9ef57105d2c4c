// Rules every environment in dist/ must follow, checked on the committed manifests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byKind, distDir, environmentFolders, findObject, loadManifests, type KubeObject } from './support/dist';

const manifests = loadManifests();
const environments = environmentFolders();
const IMMUTABLE_IMAGE = /^[a-z0-9.-]+(:[0-9]+)?(\/[a-z0-9._-]+)+:[A-Za-z0-9_][A-Za-z0-9_.-]*@sha256:[0-9a-f]{64}$/;

interface PodOwner {
  readonly environment: string;
  readonly name: string;
  readonly template: KubeObject['spec'];
}

const podOwners: PodOwner[] = manifests
  .filter((m) => m.object.kind === 'Deployment')
  .map((m) => ({ environment: m.environment, name: m.object.metadata.name, template: m.object.spec.template }));
const containers = podOwners.flatMap((owner) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  owner.template.spec.containers.map((container: any) => [`${owner.environment}/${owner.name}/${container.name}`, container, owner] as const),
);

const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

test('dist/ holds one folder per environment, the Argo CD and platform folders and only YAML manifests', () => {
  expect(environments).toEqual(['dev', 'prod', 'test']);
  expect(fs.readdirSync(distDir).filter((name) => !environments.includes(name))).toEqual(['argocd', 'platform']);
  for (const environment of environments) {
    expect(fs.readdirSync(path.join(distDir, environment)).filter((name) => !name.endsWith('.yaml'))).toEqual([]);
  }
});

describe.each(podOwners.map((o) => [`${o.environment}/${o.name}`, o] as const))('pod template of %s', (_id, owner) => {
  const spec = owner.template.spec;
  test('runs as non-root uid 10001 with the RuntimeDefault seccomp profile', () => {
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001 });
    for (const container of spec.containers) {
      expect(container.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    }
  });

  test('does not mount a service account token', () => {
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  test('has a termination grace period longer than its preStop delay', () => {
    for (const container of spec.containers) {
      const delay = Number(container.lifecycle.preStop.exec.command.at(-1));
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(delay);
    }
  });
});

describe.each(containers)('container %s', (_id, container) => {
  test('drops all capabilities, cannot escalate and has a read-only root filesystem with a writable /tmp', () => {
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.volumeMounts).toContainEqual({ mountPath: '/tmp', name: 'tmp' });
  });

  test('has HTTP startup, liveness and readiness probes', () => {
    expect(container.startupProbe.httpGet.path).toBe('/healthz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
  });

  test('declares CPU and memory requests and limits', () => {
    expect(Object.keys(container.resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(container.resources.limits).sort()).toEqual(['cpu', 'memory']);
  });

  test('pulls an immutable image reference', () => {
    expect(container.image).toMatch(IMMUTABLE_IMAGE);
    expect(container.image).not.toMatch(/:latest@/);
    expect(container.imagePullPolicy).toBe('IfNotPresent');
  });
});

describe.each(environments)('environment %s', (environment) => {
  const objects = manifests.filter((m) => m.environment === environment).map((m) => m.object);
  const namespace = `ecodata-${environment}`;
  const deployments = byKind(manifests, environment, 'Deployment');
  const hpas = byKind(manifests, environment, 'HorizontalPodAutoscaler');
  const policies = byKind(manifests, environment, 'NetworkPolicy');

  test('puts every namespaced object in its namespace, which enforces the restricted Pod Security Standard', () => {
    for (const object of objects.filter((o) => o.kind !== 'Namespace')) expect(object.metadata.namespace).toBe(namespace);
    expect(findObject(manifests, environment, 'Namespace', namespace).metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
  });

  test('contains no Secret (credentials come from the CloudNativePG operator)', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('uses readable names without construct-path hashes', () => {
    for (const object of objects) {
      expect(object.metadata.name).not.toMatch(/-[0-9a-f]{8}$/);
      expect(JSON.stringify(object)).not.toContain('cdk8s.io/metadata.addr');
    }
  });

  test('has a PodDisruptionBudget selecting the pods of every Deployment that can run more than one replica', () => {
    const pdbs = byKind(manifests, environment, 'PodDisruptionBudget');
    for (const deployment of deployments) {
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === deployment.metadata.name);
      if ((deployment.spec.replicas ?? 1) <= 1 && (hpa?.spec.maxReplicas ?? 1) <= 1) continue;
      expect(pdbs.some((pdb) => matches(pdb.spec.selector.matchLabels, deployment.spec.template.metadata.labels))).toBe(true);
    }
  });

  test('has HPAs with minReplicas <= maxReplicas targeting Deployments that leave replicas to them', () => {
    for (const hpa of hpas) {
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
      const target = findObject(manifests, environment, 'Deployment', hpa.spec.scaleTargetRef.name);
      expect(target.spec.replicas).toBeUndefined();
    }
  });

  test('roll Deployments without ever dropping below the desired replica count', () => {
    for (const deployment of deployments) expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
  });

  test('denies all ingress and egress by default', () => {
    const deny = findObject(manifests, environment, 'NetworkPolicy', 'default-deny');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  });

  test('selects every Deployment, Job and the database pods with an ingress and an egress NetworkPolicy', () => {
    const podLabels = [
      ...deployments.map((d) => d.spec.template.metadata.labels as Record<string, string>),
      ...byKind(manifests, environment, 'Job').map((j) => j.spec.template.metadata.labels as Record<string, string>),
      ...byKind(manifests, environment, 'Cluster').map((c) => ({ 'cnpg.io/cluster': c.metadata.name })),
    ];
    for (const labels of podLabels) {
      const selecting = policies.filter((p) => Object.keys(p.spec.podSelector).length > 0 && matches(p.spec.podSelector.matchLabels, labels));
      expect(selecting.flatMap((p) => p.spec.policyTypes).sort()).toEqual(['Egress', 'Ingress']);
    }
  });

  test('lets every pod resolve names through the cluster DNS on port 53 over UDP and TCP', () => {
    const dns = findObject(manifests, environment, 'NetworkPolicy', 'allow-dns');
    expect(dns.spec.podSelector).toEqual({});
    expect(dns.spec.egress[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
  });

  test('wires Services, the HTTPRoute and the database Secret to objects that exist', () => {
    for (const service of byKind(manifests, environment, 'Service')) {
      expect(deployments.some((d) => matches(service.spec.selector, d.spec.template.metadata.labels))).toBe(true);
    }
    for (const route of byKind(manifests, environment, 'HTTPRoute')) {
      for (const backend of route.spec.rules.flatMap((r: { backendRefs: unknown[] }) => r.backendRefs)) {
        const service = findObject(manifests, environment, 'Service', backend.name);
        expect(service.spec.ports.map((p: { port: number }) => p.port)).toContain(backend.port);
      }
    }
    const cluster = byKind(manifests, environment, 'Cluster')[0];
    const api = findObject(manifests, environment, 'Deployment', 'api').spec.template.spec.containers[0];
    expect(api.env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: `${cluster.metadata.name}-app`, key: 'uri' } } });
  });
});

describe('prod is stricter than dev', () => {
  const minReplicas = (environment: string, name: string) => {
    const hpa = byKind(manifests, environment, 'HorizontalPodAutoscaler').find((h) => h.metadata.name === name);
    return hpa ? hpa.spec.minReplicas : findObject(manifests, environment, 'Deployment', name).spec.replicas;
  };

  test('prod runs at least as many replicas of every service as dev, and at least two', () => {
    for (const name of ['api', 'front']) {
      expect(minReplicas('prod', name)).toBeGreaterThanOrEqual(Math.max(2, minReplicas('dev', name)));
    }
  });

  test('prod runs three PostgreSQL instances and more than dev', () => {
    const instances = (environment: string) => byKind(manifests, environment, 'Cluster')[0].spec.instances;
    expect(instances('prod')).toBe(3);
    expect(instances('prod')).toBeGreaterThan(instances('dev'));
  });

  test('prod spreads pods over zones and nodes', () => {
    for (const deployment of byKind(manifests, 'prod', 'Deployment')) {
      const keys = deployment.spec.template.spec.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey);
      expect(keys).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    }
  });
});
