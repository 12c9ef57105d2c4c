// Every environment of dist/ and dist/argocd/ is accepted by a real API server with strict
// field validation: built-in kinds by their OpenAPI schemas, custom resources by the upstream
// CRDs (CEL rules included), admission plugins in the path.
import path from 'node:path';
import { Testing } from 'cdk8s';
import { EnvironmentChart } from '../../constructs/environment-chart';
import { environments } from '../../environments';
import { loadImages, parseEnvironment } from '../../environments/load';
import { distDir, environmentFolders, loadArgoCdManifests, loadManifests, loadPlatformManifests, findObject, PLATFORM_FOLDER, repoRoot, type KubeObject } from '../support/dist';
import { applyFolder, kubectl, KubectlError, serverSideApply, serverSideApplyObject } from './support/cluster';

const manifests = loadManifests();

test.each(environmentFolders())('every object of dist/%s is accepted by server-side apply with strict validation', async (environment) => {
  const output = await applyFolder(path.join(distDir, environment));
  const applied = output.trim().split('\n');
  expect(applied).toHaveLength(manifests.filter((m) => m.environment === environment).length);
  expect(applied.every((line) => / serverside-applied$/.test(line))).toBe(true);
});

test('every object of dist/platform/ is accepted by server-side apply with strict validation (cert-manager and Gateway API CRDs)', async () => {
  const output = await applyFolder(path.join(distDir, PLATFORM_FOLDER));
  const applied = output.trim().split('\n');
  expect(applied).toHaveLength(loadPlatformManifests().length);
  expect(applied.every((line) => / serverside-applied$/.test(line))).toBe(true);
  expect(output).toMatch(/gateway\.gateway\.networking\.k8s\.io\/public serverside-applied/);
  expect(output).toMatch(/clusterissuer\.cert-manager\.io\/letsencrypt serverside-applied/);
});

test("the API server's own label selection with the monitoring stack's selectors returns every ServiceMonitor, PodMonitor and PrometheusRule of every environment", async () => {
  const stack = findObject(loadArgoCdManifests(), 'argocd', 'Application', 'kube-prometheus-stack');
  const spec = stack.spec.source.helm.valuesObject.prometheus.prometheusSpec;
  const environments = environmentFolders();
  for (const [resource, field] of [['servicemonitors', 'serviceMonitor'], ['podmonitors', 'podMonitor'], ['prometheusrules', 'rule']] as const) {
    // {} selects every namespace; the label selector is evaluated by the server.
    expect(spec[`${field}NamespaceSelector`]).toEqual({});
    const selector = Object.entries(spec[`${field}Selector`].matchLabels as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
    const names = async (extra: string[]) =>
      JSON.parse(await kubectl(['get', `${resource}.monitoring.coreos.com`, '-A', '-o', 'json', ...extra])).items
        .filter((o: KubeObject) => environments.some((e) => o.metadata.namespace === `ecodata-${e}`))
        .map((o: KubeObject) => `${o.metadata.namespace}/${o.metadata.name}`)
        .sort();
    const all = await names([]);
    expect(all.length).toBeGreaterThanOrEqual(environments.length);
    expect(await names(['-l', selector])).toEqual(all);
  }
});

test('every object of dist/argocd/ is accepted by server-side apply with strict validation', async () => {
  // A server dry run: the same validation and admission, but nothing persisted, because the
  // cluster runs a real Argo CD (in its own argocd namespace), which would start syncing
  // these Applications from GitHub. argocd.test.ts applies them for real, from a clone.
  const files = loadArgoCdManifests().map((m) => path.join(distDir, m.file));
  const output = await serverSideApply(files, ['--dry-run=server']);
  const applied = output.trim().split('\n');
  expect(applied).toHaveLength(files.length);
  expect(applied.every((line) => / serverside-applied \(server dry run\)$/.test(line))).toBe(true);
  expect(output).toMatch(/application\.argoproj\.io\/ecodata-root serverside-applied/);
});

test('a restore of prod renders a recovery Cluster, and its ScheduledBackup, that the API server accepts', async () => {
  // What a `database.restore` commit would render (docs/runbooks/procedures/point-in-time-restore.md),
  // dry-run into the prod namespace that the dist/prod test above created.
  const input = { ...environments.prod, database: { ...environments.prod.database, restore: { name: 'database-r1', fromServer: 'database', targetTime: '2026-12-01T09:58:00Z' } } };
  const chart = new EnvironmentChart(Testing.app(), 'prod', { config: parseEnvironment('prod', input), images: loadImages('prod', path.join(repoRoot, 'environments')) });
  const synthesized = Testing.synth(chart) as KubeObject[];
  const cluster = synthesized.find((o) => o.kind === 'Cluster')!;
  const scheduledBackup = synthesized.find((o) => o.kind === 'ScheduledBackup')!;
  expect([cluster.metadata.name, scheduledBackup.metadata.name]).toEqual(['database-r1', 'database-r1-base-backup']);
  expect(cluster.spec.bootstrap.recovery.source).toBe('origin');
  for (const object of [cluster, scheduledBackup]) expect(await serverSideApplyObject(object, ['--dry-run=server'])).toMatch(/serverside-applied \(server dry run\)/);
});

describe('the server refuses what is wrong', () => {
  const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  const refusal = async (object: object): Promise<string> => {
    try {
      await serverSideApplyObject(object as never, ['--dry-run=server']);
    } catch (error) {
      if (error instanceof KubectlError) return error.stderr;
      throw error;
    }
    throw new Error('the server accepted the object');
  };

  beforeAll(() => applyFolder(path.join(distDir, 'dev')));

  test('an unknown field in a Deployment is rejected with the field named', async () => {
    const deployment = clone(findObject(manifests, 'dev', 'Deployment', 'api'));
    deployment.spec.template.spec.containers[0].readinesProbe = {};
    expect(await refusal(deployment)).toMatch(/\.spec\.template\.spec\.containers\[name="api"\]\.readinesProbe: field not declared in schema/);
  });

  test('a bad enum in a CloudNativePG Cluster is rejected by its CRD schema', async () => {
    const database = clone(findObject(manifests, 'dev', 'Cluster', 'database'));
    database.spec.primaryUpdateStrategy = 'whenever';
    expect(await refusal(database)).toMatch(/spec\.primaryUpdateStrategy: Unsupported value: "whenever"/);
  });

  test('an ObjectStore breaking the Barman Cloud plugin CRD is rejected', async () => {
    const store = clone(findObject(manifests, 'dev', 'ObjectStore', 'database-backups'));
    store.spec.retentionPolicy = '30';
    store.spec.configuration.wal.compression = 'zip';
    const message = await refusal(store);
    expect(message).toMatch(/spec\.retentionPolicy/);
    expect(message).toMatch(/spec\.configuration\.wal\.compression: Unsupported value: "zip"/);
  });

  test('an HTTPRoute breaking a CEL rule of the Gateway API CRD is rejected', async () => {
    const route = clone(findObject(manifests, 'dev', 'HTTPRoute', 'front'));
    // CEL: a path match of type PathPrefix must start with '/'.
    route.spec.rules[0].matches = [{ path: { type: 'PathPrefix', value: 'no-slash' } }];
    expect(await refusal(route)).toMatch(/spec\.rules\[0\]\.matches\[0\]\.path/);
  });

  test('a namespaced object in a namespace that does not exist is refused by NamespaceLifecycle', async () => {
    const account = clone(findObject(manifests, 'dev', 'ServiceAccount', 'api'));
    account.metadata.namespace = 'ecodata-nowhere';
    expect(await refusal(account)).toMatch(/namespaces "ecodata-nowhere" not found/);
  });
});

test('the API server reports the pinned Kubernetes version', async () => {
  const version = JSON.parse(await kubectl(['version', '-o', 'json'])) as { serverVersion: { gitVersion: string } };
  expect(version.serverVersion.gitVersion).toMatch(/^v1\.34\.\d+$/);
});
