// Each environment's Services, NetworkPolicies and PodDisruptionBudgets select the pods they
// mean to, checked against the live pods' labels and the endpoints the control plane built.
import { environmentFolders } from '../support/dist';
import type { KubeObject } from '../support/dist';
import { deploy, eventually, isReadyPod, kubectl, list, namespaceOf, selects } from './support/cluster';
import { databaseInstancePods } from './support/cnpg-stand-in';

const environments = environmentFolders();

beforeAll(async () => {
  for (const environment of environments) {
    await deploy(environment);
    await kubectl(['apply', '--server-side', '-f', '-'], databaseInstancePods(namespaceOf(environment)));
  }
}, 600_000);

afterAll(async () => {
  // The stand-ins are unmanaged pods, which `kubectl drain` refuses to move: leave none behind.
  for (const environment of environments) await kubectl(['delete', 'pods', '-n', namespaceOf(environment), '-l', 'ecodata.example/stand-in=cnpg-instance', '--wait=true']);
});

const containerPorts = (pod: KubeObject): number[] => pod.spec.containers.flatMap((c: { ports?: { containerPort: number }[] }) => (c.ports ?? []).map((p) => p.containerPort));

describe.each(environments)('%s', (environment) => {
  const namespace = namespaceOf(environment);
  let pods: KubeObject[];
  beforeAll(async () => {
    pods = await list('pods', namespace);
  });

  test('every Service selects ready pods that serve its target port, and its endpoints list exactly them', async () => {
    const services = await list('services', namespace);
    expect(services.length).toBeGreaterThan(0);
    for (const service of services) {
      const selected = pods.filter((p) => isReadyPod(p) && selects({ matchLabels: service.spec.selector }, p.metadata.labels));
      expect({ service: service.metadata.name, selected: selected.length > 0 }).toEqual({ service: service.metadata.name, selected: true });
      for (const port of service.spec.ports) expect(selected.every((p) => containerPorts(p).includes(port.targetPort))).toBe(true);
      const endpoints = await eventually(`endpoints of ${service.metadata.name}`, async () => {
        const slices = await list('endpointslices', namespace, ['-l', `kubernetes.io/service-name=${service.metadata.name}`]);
        const addresses = slices.flatMap((s) => (s.endpoints ?? []).filter((e: { conditions?: { ready?: boolean } }) => e.conditions?.ready).flatMap((e: { addresses: string[] }) => e.addresses)).sort();
        return addresses.length === selected.length ? addresses : undefined;
      });
      expect(endpoints).toEqual(selected.map((p) => p.status.podIP as string).sort());
    }
  });

  test('every NetworkPolicy selects live pods, and each pod peer it names exists', async () => {
    const policies = await list('networkpolicies', namespace);
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      const subjects = pods.filter((p) => selects(policy.spec.podSelector, p.metadata.labels));
      expect({ policy: policy.metadata.name, subjects: subjects.length > 0 }).toEqual({ policy: policy.metadata.name, subjects: true });
      const peers = [...(policy.spec.ingress ?? []).flatMap((r: { from?: unknown[] }) => r.from ?? []), ...(policy.spec.egress ?? []).flatMap((r: { to?: unknown[] }) => r.to ?? [])] as {
        podSelector?: KubeObject['spec'];
        namespaceSelector?: unknown;
      }[];
      for (const peer of peers.filter((p) => p.podSelector && !p.namespaceSelector)) {
        const matched = pods.filter((p) => selects(peer.podSelector, p.metadata.labels));
        expect({ policy: policy.metadata.name, peer: peer.podSelector, matched: matched.length > 0 }).toEqual({ policy: policy.metadata.name, peer: peer.podSelector, matched: true });
      }
    }
  });

  test('each NetworkPolicy admits traffic on ports its pods listen on', async () => {
    for (const policy of await list('networkpolicies', namespace)) {
      const subjects = pods.filter((p) => selects(policy.spec.podSelector, p.metadata.labels) && containerPorts(p).length > 0);
      const ports = (policy.spec.ingress ?? []).flatMap((r: { ports?: { port: number }[] }) => (r.ports ?? []).map((p) => p.port)) as number[];
      for (const pod of subjects) for (const port of ports) expect({ policy: policy.metadata.name, pod: pod.metadata.labels?.['app.kubernetes.io/name'] ?? pod.metadata.name, port, listens: containerPorts(pod).includes(port) }).toMatchObject({ listens: true });
    }
  });

  test('every PodDisruptionBudget covers exactly one Deployment', async () => {
    const deployments = await list('deployments', namespace);
    for (const pdb of await list('poddisruptionbudgets', namespace)) {
      const covered = deployments.filter((d) => selects(pdb.spec.selector, d.spec.template.metadata.labels)).map((d) => d.metadata.name);
      expect({ pdb: pdb.metadata.name, covered }).toEqual({ pdb: pdb.metadata.name, covered: [pdb.metadata.name] });
    }
  });
});
