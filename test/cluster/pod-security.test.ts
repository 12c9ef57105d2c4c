// Pod Security admission, for real: each environment's namespace enforces `restricted`, the
// controller manager creates every Deployment's and the migration Job's pods, and the real
// admission admits every one of them (no FailedCreate); a pod that breaks the standard is
// refused.
import { environmentFolders, loadManifests, findObject } from '../support/dist';
import { deploy, eventually, get, kubectl, KubectlError, list, namespaceOf, selects } from './support/cluster';

const environments = environmentFolders();
const manifests = loadManifests();

beforeAll(async () => {
  for (const environment of environments) await deploy(environment);
}, 600_000);

describe.each(environments)('%s', (environment) => {
  const namespace = namespaceOf(environment);

  test('the live namespace enforces the restricted Pod Security Standard', async () => {
    const labels = (await get('namespace', namespace)).metadata.labels ?? {};
    expect(labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
  });

  test('every Deployment has all its pods created: none was refused', async () => {
    for (const deployment of await list('deployments', namespace)) {
      const pods = (await list('pods', namespace)).filter((pod) => selects(deployment.spec.selector, pod.metadata.labels));
      expect({ deployment: deployment.metadata.name, pods: pods.length }).toEqual({ deployment: deployment.metadata.name, pods: deployment.status.replicas });
    }
    const refused = await list('events', namespace, ['--field-selector', 'reason=FailedCreate']);
    expect(refused.map((event) => event.message)).toEqual([]);
  });

  test("the migration Job's pod is admitted and the Job completes", async () => {
    const job = findObject(manifests, environment, 'Job', 'migrate');
    const complete = await eventually('the migration Job to complete', async () => {
      const live = await get('job', job.metadata.name, namespace);
      return (live.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Complete' && c.status === 'True') ? live : undefined;
    });
    expect(complete.status.succeeded).toBe(1);
    expect(await list('events', namespace, ['--field-selector', `involvedObject.kind=Job,involvedObject.name=${job.metadata.name},reason=FailedCreate`])).toEqual([]);
  });
});

test('a pod that breaks the restricted standard is refused by the real admission', async () => {
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'runs-as-root', namespace: namespaceOf(environments[0]) },
    spec: { containers: [{ name: 'shell', image: 'registry.example/shell@sha256:' + '0'.repeat(64), securityContext: { runAsUser: 0 } }] },
  };
  const attempt = kubectl(['create', '-f', '-'], JSON.stringify(pod));
  await expect(attempt).rejects.toBeInstanceOf(KubectlError);
  await expect(attempt).rejects.toThrow(/violates PodSecurity "restricted:latest": .*runAsNonRoot/);
});
