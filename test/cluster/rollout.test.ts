// Rollouts on kwok's simulated nodes: every Deployment becomes Available, prod spreads its
// pods over zones and nodes, a deleted pod is replaced, and draining a node never takes a
// Deployment below what its PodDisruptionBudget allows.
import { environmentFolders } from '../support/dist';
import { nodeNames } from '../../tools/cluster/src/nodes';
import { deploy, eventually, isReadyPod, kubectl, list, namespaceOf, selects, waitForRollouts } from './support/cluster';
import type { KubeObject } from '../support/dist';

const environments = environmentFolders();

beforeAll(async () => {
  for (const environment of environments) await deploy(environment);
}, 600_000);

const condition = (object: KubeObject, type: string): string | undefined =>
  (object.status?.conditions ?? []).find((c: { type: string }) => c.type === type)?.status;

describe.each(environments)('%s', (environment) => {
  const namespace = namespaceOf(environment);

  test('every Deployment is Available with all its replicas ready and updated', async () => {
    const deployments = await list('deployments', namespace);
    expect(deployments.length).toBeGreaterThan(0);
    for (const d of deployments) {
      expect({ name: d.metadata.name, available: condition(d, 'Available'), ready: d.status.readyReplicas, updated: d.status.updatedReplicas }).toEqual({
        name: d.metadata.name,
        available: 'True',
        ready: d.status.replicas,
        updated: d.status.replicas,
      });
    }
  });

  test('a deleted pod is replaced and the Deployment is Available again', async () => {
    const [deployment] = await list('deployments', namespace);
    const podsOf = async () => (await list('pods', namespace)).filter((p) => selects(deployment.spec.selector, p.metadata.labels));
    const [victim] = await podsOf();
    await kubectl(['delete', 'pod', victim.metadata.name, '-n', namespace, '--wait=true']);
    await eventually('a replacement pod', async () => {
      const ready = (await podsOf()).filter(isReadyPod);
      return ready.length === deployment.status.replicas && ready.every((p) => p.metadata.name !== victim.metadata.name) ? ready : undefined;
    });
    await waitForRollouts(namespace);
  });
});

describe('prod spreads over zones and nodes', () => {
  const namespace = namespaceOf('prod');
  const zoneOf = new Map(nodeNames().map(({ name, zone }) => [name, zone]));

  test.each(['api', 'front'])('the %s pods run on separate nodes in separate zones', async (name) => {
    const nodes = (await list('pods', namespace, ['-l', `app.kubernetes.io/name=${name}`])).filter(isReadyPod).map((p) => p.spec.nodeName as string);
    // The HPA's minReplicas (3): one per zone, each on its own node.
    expect(nodes).toHaveLength(3);
    expect(new Set(nodes).size).toBe(3);
    expect(new Set(nodes.map((n) => zoneOf.get(n))).size).toBe(3);
  });
});

describe('draining a node', () => {
  interface Budget {
    readonly namespace: string;
    readonly name: string;
    readonly selector: KubeObject['spec'];
    readonly minimum: number;
  }

  /** What each PDB promises: at least (replicas - maxUnavailable) pods Ready at any time. */
  async function budgets(): Promise<Budget[]> {
    const result: Budget[] = [];
    for (const environment of environments) {
      const namespace = namespaceOf(environment);
      const deployments = await list('deployments', namespace);
      for (const pdb of await list('poddisruptionbudgets', namespace)) {
        const target = deployments.find((d) => selects(pdb.spec.selector, d.spec.template.metadata.labels));
        if (!target) throw new Error(`${namespace}/${pdb.metadata.name} selects no Deployment's pods`);
        result.push({ namespace, name: pdb.metadata.name, selector: pdb.spec.selector, minimum: target.spec.replicas - pdb.spec.maxUnavailable });
      }
    }
    return result;
  }

  test('never takes a Deployment below its PodDisruptionBudget, and moves every pod off the node', async () => {
    const promises = await budgets();
    expect(promises.length).toBeGreaterThan(0);
    const prodApi = (await list('pods', namespaceOf('prod'), ['-l', 'app.kubernetes.io/name=api'])).filter(isReadyPod);
    const node = prodApi[0].spec.nodeName as string;

    const breaches: string[] = [];
    let samples = 0;
    let draining = true;
    const sampler = (async () => {
      while (draining) {
        const pods = await list('pods', undefined, ['-l', 'app.kubernetes.io/part-of=ecodata']);
        for (const budget of promises) {
          const ready = pods.filter((p) => p.metadata.namespace === budget.namespace && selects(budget.selector, p.metadata.labels) && isReadyPod(p)).length;
          if (ready < budget.minimum) breaches.push(`${budget.namespace}/${budget.name}: ${ready} ready < ${budget.minimum}`);
        }
        samples += 1;
      }
    })();
    try {
      await kubectl(['drain', node, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=180s']);
    } finally {
      draining = false;
      await sampler;
    }
    try {
      expect(samples).toBeGreaterThan(0);
      expect(breaches).toEqual([]);
      const left = (await list('pods', undefined, ['--field-selector', `spec.nodeName=${node}`])).filter((p) => p.status.phase !== 'Succeeded');
      expect(left.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([]);
      for (const environment of environments) await waitForRollouts(namespaceOf(environment));
    } finally {
      await kubectl(['uncordon', node]);
    }
  });
});
