// Argo CD syncs this repository for real: its application controller and repo server (built
// from the pinned module, started with the cluster) against a throwaway clone served as a
// file:// URL. The test changes the repository only as a user would: the platform's repoURL
// pointed at the clone and re-synthesized, then `npm run gitops` commits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { load } from 'js-yaml';
import { createTemplate, git, gitops, imageRef, sh } from '../../tools/gitops/test/temp-repo';
import { findObject, loadArgoCdManifests, type KubeObject } from '../support/dist';
import { eventually, get, kubectl, list, namespaceOf } from './support/cluster';
import { CnpgStatusStandIn } from './support/cnpg-stand-in';
import { FAILING_MIGRATION_IMAGE } from './support/failing-migration';
import { GatewayStatusStandIn } from './support/gateway-stand-in';

const ARGOCD = 'argocd';
/** The self-managed Argo CD Application as committed (its argocd-cm patch). */
const ARGOCD_APPLICATION = findObject(loadArgoCdManifests(), 'argocd', 'Application', 'argocd');
/** The platform Applications whose sources are upstream (GitHub, Helm and OCI registries). */
const EXTERNAL_PLATFORM_APPS = [
  'argocd',
  'barman-cloud-plugin',
  'cert-manager',
  'cloudnative-pg',
  'envoy-gateway',
  'envoy-gateway-crds',
  'gateway-api-crds',
  'kube-prometheus-stack',
  'metrics-server',
  'prometheus-operator-crds',
];
const environments = ['dev', 'test', 'prod'];
const minutes = (n: number) => n * 60_000;

let scratch: string;
let repo: string;
let cnpg: CnpgStatusStandIn;
let gateway: GatewayStatusStandIn;

const application = (name: string): Promise<KubeObject> => get('applications.argoproj.io', name, ARGOCD);
/** What a Git webhook does after a push: ask Argo CD to look at the repository now. */
const refresh = (name: string) => kubectl(['annotate', 'applications.argoproj.io', name, '-n', ARGOCD, 'argocd.argoproj.io/refresh=normal', '--overwrite']);
const commitAll = (message: string) => {
  git(repo, 'add', '--all');
  git(repo, 'commit', '--quiet', '-m', message);
};

async function syncedAndHealthy(name: string, revision?: string): Promise<KubeObject> {
  return eventually(
    `${name} Synced and Healthy${revision ? ` at ${revision.slice(0, 8)}` : ''}`,
    async () => {
      const app = await application(name);
      const done = app.status?.sync?.status === 'Synced' && app.status?.health?.status === 'Healthy' && app.status?.operationState?.phase === 'Succeeded';
      return done && (!revision || app.status.sync.revision === revision) ? app : undefined;
    },
    minutes(4),
  );
}

/** A Kubernetes timestamp (whole seconds) as epoch seconds. */
const seconds = (timestamp: string | undefined): number => {
  if (!timestamp) throw new Error('no timestamp');
  return Math.floor(new Date(timestamp).getTime() / 1000);
};
const apiImage = async (environment: string): Promise<string> => (await get('deployment', 'api', namespaceOf(environment))).spec.template.spec.containers[0].image;

beforeAll(async () => {
  // Start from an empty cluster: the other cluster tests apply the environments by hand.
  await kubectl(['delete', 'namespace', ...environments.map(namespaceOf), '--ignore-not-found', '--wait=true', '--timeout=180s']);
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-argocd-'));
  repo = createTemplate(scratch);
  const platformFile = path.join(repo, 'environments', 'platform.ts');
  const platform = fs.readFileSync(platformFile, 'utf8');
  const pointed = platform.replace(/repoURL: 'https:\/\/github\.com\/ecodata\/ecodata-gitops\.git'/, `repoURL: 'file://${repo}'`);
  expect(pointed).not.toBe(platform);
  fs.writeFileSync(platformFile, pointed);
  sh(repo, 'npm', ['run', '--silent', 'synth']);
  commitAll('platform: Argo CD clones this repository from file://');
  cnpg = new CnpgStatusStandIn(kubectl, environments.map(namespaceOf));
  gateway = new GatewayStatusStandIn(kubectl, environments.map(namespaceOf));
  // README's bootstrap, both commands.
  await kubectl(['apply', '-f', path.join(repo, 'dist', 'argocd', 'bootstrap', 'appproject-ecodata-bootstrap.yaml')]);
  await kubectl(['apply', '-f', path.join(repo, 'dist', 'argocd', 'bootstrap')]);
}, minutes(6));

afterAll(async () => {
  await cnpg?.stop();
  await gateway?.stop();
  // The root first (it would recreate the others); dev and test cascade-delete what they
  // deployed, so the next test file starts from what it applies itself.
  await kubectl(['delete', 'applications.argoproj.io', 'ecodata-root', '-n', ARGOCD, '--ignore-not-found', '--wait=true', '--timeout=120s']).catch(() => undefined);
  await kubectl(['delete', 'applications.argoproj.io', '--all', '-n', ARGOCD, '--wait=true', '--timeout=180s']).catch(() => undefined);
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
}, minutes(5));

test('bootstrap: the root Application creates the projects and every Application; each environment syncs', async () => {
  const head = git(repo, 'rev-parse', 'HEAD').trim();
  for (const environment of ['dev', 'test']) await syncedAndHealthy(`ecodata-${environment}`, head);
  await eventually('ecodata-prod synced', async () => {
    const app = await application('ecodata-prod');
    return app.status?.sync?.status === 'Synced' && app.status?.operationState?.phase === 'Succeeded' && app.status.sync.revision === head ? app : undefined;
  }, minutes(4));
  const projects = (await list('appprojects.argoproj.io', ARGOCD)).map((p) => p.metadata.name).sort();
  expect(projects).toEqual(['ecodata', 'ecodata-bootstrap', 'ecodata-platform', 'ecodata-platform-configs']);
  // With the project applied first, the root's first sync succeeds: no retry was needed.
  expect((await application('ecodata-root')).status.operationState.retryCount ?? 0).toBe(0);
  const apps = (await list('applications.argoproj.io', ARGOCD)).map((a) => a.metadata.name).sort();
  expect(apps).toEqual(['ecodata-dev', 'ecodata-prod', 'ecodata-root', 'ecodata-test', ...EXTERNAL_PLATFORM_APPS, 'platform-configs'].sort());
}, minutes(8));

test('prod is Degraded while its HPAs cannot read metrics: metrics-server cannot run here', async () => {
  // Argo CD's HPA health check reads ScalingActive=False/FailedGetResourceMetric as Degraded.
  // The platform's metrics-server Application serves that API in a real cluster; here its
  // chart is only rendered and dry-run applied (platform-charts.test.ts): kwok's nodes have
  // no kubelet to scrape. The HPA controller reports the missing API within its 15 s period.
  const hpas = await eventually('the HPAs to report that they cannot read metrics', async () => {
    const all = await list('horizontalpodautoscalers', namespaceOf('prod'));
    const failing = all.filter((hpa) => (hpa.status?.conditions ?? []).some((c: { type: string; status: string; reason: string }) => c.type === 'ScalingActive' && c.status === 'False' && c.reason === 'FailedGetResourceMetric'));
    return all.length > 0 && failing.length === all.length ? all : undefined;
  }, minutes(1));
  expect(hpas.map((hpa) => hpa.metadata.name).sort()).toEqual(['api', 'front']);
  await eventually('ecodata-prod Degraded', async () => ((await application('ecodata-prod')).status?.health?.status === 'Degraded' ? true : undefined), minutes(1));
}, minutes(3));

test('the upstream platform Applications exist but cannot sync here: their sources are outside this machine', async () => {
  // STAND-IN limit, not a product behaviour: Helm chart and OCI registries and GitHub cannot
  // be reached here; their CRDs are installed from the same pinned versions with the cluster,
  // and the charts with a Go module source are rendered by platform-charts.test.ts.
  for (const name of EXTERNAL_PLATFORM_APPS) {
    const app = await eventually(`${name} compared`, async () => {
      const current = await application(name);
      return (current.status?.conditions ?? []).length > 0 ? current : undefined;
    }, minutes(2));
    expect(app.spec.project).toBe('ecodata-platform');
    expect(app.status.conditions.map((c: { type: string }) => c.type)).toContain('ComparisonError');
  }
}, minutes(7));

test('the configs layer syncs dist/platform/ from this repository: the Gateway, its listeners, certificates and issuers exist', async () => {
  // Nothing here runs Envoy Gateway or cert-manager, so the objects are stored, not served:
  // the sync itself proves the configs AppProject allows exactly what dist/platform/ holds.
  await eventually('platform-configs synced', async () => {
    const app = await application('platform-configs');
    return app.status?.sync?.status === 'Synced' && app.status?.operationState?.phase === 'Succeeded' ? app : undefined;
  }, minutes(4));
  const gateway = await get('gateways.gateway.networking.k8s.io', 'public', 'gateway');
  expect(gateway.spec.listeners.map((l: { name: string }) => l.name).sort()).toEqual(['http', ...environments.map((e) => `https-${e}`)].sort());
  expect((await list('certificates.cert-manager.io', 'gateway')).map((c) => c.metadata.name).sort()).toEqual(environments.map(namespaceOf).sort());
  expect((await list('clusterissuers.cert-manager.io')).map((i) => i.metadata.name).sort()).toEqual(['letsencrypt', 'letsencrypt-staging']);
}, minutes(5));

test('order inside an environment: namespace and policies, then the database, Healthy before the migration starts, which completes before the Deployments exist', async () => {
  const namespace = namespaceOf('dev');
  const created = async (kind: string, name: string, ns?: string) => seconds((await get(kind, name, ns)).metadata.creationTimestamp);
  const cluster = await get('clusters.postgresql.cnpg.io', 'database', namespace);
  const healthy = cnpg.healthyAt.get(cluster.metadata.uid!);
  expect(healthy).toBeDefined();
  const job = await get('job', 'migrate', namespace);
  const deployment = await get('deployment', 'api', namespace);

  expect(await created('namespace', namespace)).toBeLessThanOrEqual(seconds(cluster.metadata.creationTimestamp));
  expect(await created('networkpolicy', 'database', namespace)).toBeLessThanOrEqual(seconds(cluster.metadata.creationTimestamp));
  // The stand-in declares the Cluster healthy 2 s after it appears; the Job is only created then.
  expect(seconds(job.metadata.creationTimestamp)).toBeGreaterThanOrEqual(Math.floor(healthy!.getTime() / 1000));
  expect(seconds(job.metadata.creationTimestamp) - seconds(cluster.metadata.creationTimestamp)).toBeGreaterThanOrEqual(1);
  expect(seconds(job.status.completionTime)).toBeLessThanOrEqual(seconds(deployment.metadata.creationTimestamp));
  // Argo CD's own record: the hook ran in the Sync phase and succeeded.
  const app = await application('ecodata-dev');
  const hook = (app.status.operationState.syncResult.resources as { kind: string; name: string; hookPhase?: string; syncPhase?: string }[]).find((r) => r.kind === 'Job' && r.name === 'migrate');
  expect(hook).toMatchObject({ syncPhase: 'Sync', hookPhase: 'Succeeded' });
});

test('upgrade: a bump runs a new migration Job first, then rolls the API to the new image', async () => {
  const namespace = namespaceOf('dev');
  const before = await get('job', 'migrate', namespace);
  const next = imageRef('api', 'argocd-upgrade');
  const bump = await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${next}`);
  expect(bump.code).toBe(0);
  await refresh('ecodata-dev');
  await syncedAndHealthy('ecodata-dev', git(repo, 'rev-parse', 'HEAD').trim());

  const job = await get('job', 'migrate', namespace);
  expect(job.metadata.uid).not.toBe(before.metadata.uid);
  expect(job.spec.template.spec.containers[0].image).toBe(next);
  expect(await apiImage('dev')).toBe(next);
  const replicaSets = await list('replicasets', namespace, ['-l', 'app.kubernetes.io/name=api']);
  const current = replicaSets.find((rs) => rs.spec.template.spec.containers[0].image === next)!;
  expect(seconds(job.status.completionTime)).toBeLessThanOrEqual(seconds(current.metadata.creationTimestamp));
}, minutes(6));

test('a failed migration stops the rollout: the sync fails and the API keeps its image', async () => {
  const namespace = namespaceOf('dev');
  const serving = await apiImage('dev');
  const bump = await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${FAILING_MIGRATION_IMAGE}`);
  expect(bump.code).toBe(0);
  await refresh('ecodata-dev');
  const failedJob = await eventually('the migration Job to fail', async () => {
    const job = await get('job', 'migrate', namespace).catch(() => undefined);
    const failed = job?.spec.template.spec.containers[0].image === FAILING_MIGRATION_IMAGE && (job.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === 'Failed' && c.status === 'True');
    return failed ? job : undefined;
  }, minutes(3));
  expect(failedJob.status.failed).toBeGreaterThanOrEqual(1);
  const app = await eventually('Argo CD to record the failed sync', async () => {
    const current = await application('ecodata-dev');
    const hook = (current.status?.operationState?.syncResult?.resources ?? []).find((r: { kind: string; name: string }) => r.kind === 'Job' && r.name === 'migrate');
    return hook?.hookPhase === 'Failed' ? current : undefined;
  }, minutes(2));
  expect(app.status.operationState.message).toMatch(/fail|unsuccessful/i);
  expect(await apiImage('dev')).toBe(serving);
}, minutes(6));

test('rollback: `gitops rollback --env dev` brings the live API back to the image before the failed deploy', async () => {
  const previous = imageRef('api', 'argocd-upgrade');
  const rollback = await gitops(repo, 'rollback', '--env', 'dev');
  expect(rollback.code).toBe(0);
  await refresh('ecodata-dev');
  await syncedAndHealthy('ecodata-dev', git(repo, 'rev-parse', 'HEAD').trim());
  expect(await apiImage('dev')).toBe(previous);
  expect((await get('job', 'migrate', namespaceOf('dev'))).spec.template.spec.containers[0].image).toBe(previous);
}, minutes(6));

test('self-heal: a hand edit of a live Deployment in dev is reverted', async () => {
  const namespace = namespaceOf('dev');
  const declared = (await get('deployment', 'front', namespace)).spec.replicas;
  await kubectl(['scale', 'deployment', 'front', '-n', namespace, `--replicas=${declared + 2}`]);
  await eventually('Argo CD to put the replicas back', async () => ((await get('deployment', 'front', namespace)).spec.replicas === declared ? true : undefined), minutes(2));
}, minutes(3));

test('prune policy: an object removed from git is deleted in dev, kept (and flagged) in prod', async () => {
  git(repo, 'rm', '--quiet', 'dist/dev/configmap-ecodata-dashboard.yaml', 'dist/prod/configmap-ecodata-dashboard.yaml');
  commitAll('test: drop the dashboard ConfigMap from dev and prod');
  await refresh('ecodata-dev');
  await refresh('ecodata-prod');
  await eventually('dev to prune the ConfigMap', async () => ((await kubectl(['get', 'configmap', 'ecodata-dashboard', '-n', namespaceOf('dev'), '--ignore-not-found', '-o', 'name'])).trim() === '' ? true : undefined), minutes(3));
  const prod = await eventually('prod to see the ConfigMap as extraneous', async () => {
    const app = await application('ecodata-prod');
    const entry = (app.status?.resources ?? []).find((r: { kind: string; name: string }) => r.kind === 'ConfigMap' && r.name === 'ecodata-dashboard');
    return entry?.requiresPruning ? app : undefined;
  }, minutes(3));
  expect(prod.status.sync.status).toBe('OutOfSync');
  expect((await get('configmap', 'ecodata-dashboard', namespaceOf('prod'))).metadata.name).toBe('ecodata-dashboard');
}, minutes(6));

/** An auto-synced Application in the `ecodata` project, from this clone's `folder`. */
function applyProjectApplication(name: string, folder: string, namespace: string): Promise<string> {
  const application = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: ARGOCD },
    spec: {
      project: 'ecodata',
      source: { repoURL: `file://${repo}`, path: folder, targetRevision: 'main' },
      destination: { server: 'https://kubernetes.default.svc', namespace },
      syncPolicy: { automated: {} },
    },
  };
  return kubectl(['apply', '-f', '-'], JSON.stringify(application));
}

test('the ecodata AppProject refuses an Application aimed outside its destinations', async () => {
  await applyProjectApplication('ecodata-forbidden', 'dist/dev', 'kube-system');
  const app = await eventually('Argo CD to judge the Application', async () => {
    const current = await application('ecodata-forbidden');
    return (current.status?.conditions ?? []).length > 0 ? current : undefined;
  }, minutes(2));
  expect(app.status.conditions.map((c: { type: string; message: string }) => `${c.type}: ${c.message}`).join('\n')).toMatch(/InvalidSpecError: .*(not permitted|do not match any of the allowed destinations)/);
  expect(await kubectl(['get', 'deployments', '-n', 'kube-system', '-o', 'name'])).toBe('');
}, minutes(3));

test('the ecodata AppProject refuses a kind outside its whitelist, and nothing of it is created', async () => {
  // A folder of this clone holding a ClusterRole: cluster-scoped kinds other than the three
  // Namespaces are not in the project's clusterResourceWhitelist.
  fs.mkdirSync(path.join(repo, 'forbidden'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'forbidden', 'clusterrole.yaml'), JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'ecodata-forbidden' }, rules: [] }));
  commitAll('test: a folder with a kind the ecodata project does not allow');
  await applyProjectApplication('ecodata-forbidden-kind', 'forbidden', namespaceOf('dev'));
  const app = await eventually('Argo CD to refuse the ClusterRole', async () => {
    const current = await application('ecodata-forbidden-kind');
    const text = JSON.stringify([current.status?.conditions ?? [], current.status?.operationState?.message ?? '']);
    return /ClusterRole.*not permitted in project/.test(text) ? text : undefined;
  }, minutes(2));
  expect(app).toMatch(/ecodata/);
  expect(await kubectl(['get', 'clusterrole', 'ecodata-forbidden', '--ignore-not-found', '-o', 'name'])).toBe('');
}, minutes(3));

test("with the health check of Argo CD's own Application, an app-of-apps' next wave waits until the previous one is Healthy", async () => {
  // The Argo CD of this cluster was installed by hand, without it (README, "Bootstrap"): the
  // bootstrap test above saw every child created although the platform ones never synced.
  // Here argocd-cm gets exactly what the self-managed `argocd` Application patches in.
  const patch = load(ARGOCD_APPLICATION.spec.source.kustomize.patches[0].patch) as KubeObject;
  const saved = (await get('configmap', 'argocd-cm', ARGOCD)).data ?? {};
  await kubectl(['patch', 'configmap', 'argocd-cm', '-n', ARGOCD, '--type', 'merge', '-p', JSON.stringify({ data: patch.data })]);
  try {
    // A parent whose wave 1 child deploys a Deployment no node can run (Progressing), and a
    // wave 2 child. (A child whose manifests cannot even be generated would not do: Argo CD
    // reports such an Application Healthy, as the upstream platform ones here show.)
    const child = (name: string, wave: number, folder: string) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name, namespace: ARGOCD, annotations: { 'argocd.argoproj.io/sync-wave': String(wave) } },
      spec: {
        project: 'ecodata',
        source: { repoURL: `file://${repo}`, path: folder, targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: namespaceOf('dev') },
        syncPolicy: { automated: {} },
      },
    });
    const deployment = (nodeSelector: Record<string, string>) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gate-first' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'gate-first' } },
        template: {
          metadata: { labels: { app: 'gate-first' } },
          spec: {
            nodeSelector,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{ name: 'main', image: imageRef('api', 'gate'), securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
          },
        },
      },
    });
    for (const folder of ['children', 'first', 'second']) fs.mkdirSync(path.join(repo, 'gating', folder), { recursive: true });
    fs.writeFileSync(path.join(repo, 'gating', 'children', 'first.yaml'), JSON.stringify(child('gate-first', 1, 'gating/first')));
    fs.writeFileSync(path.join(repo, 'gating', 'children', 'second.yaml'), JSON.stringify(child('gate-second', 2, 'gating/second')));
    fs.writeFileSync(path.join(repo, 'gating', 'first', 'deployment.yaml'), JSON.stringify(deployment({ 'ecodata.example/no-such-node': 'true' })));
    fs.writeFileSync(path.join(repo, 'gating', 'second', 'configmap.yaml'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gate-second' }, data: {} }));
    commitAll('test: an app-of-apps whose first wave cannot become Healthy yet');
    const parent = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'gate-parent', namespace: ARGOCD },
      spec: {
        project: 'ecodata-bootstrap',
        source: { repoURL: `file://${repo}`, path: 'gating/children', targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: ARGOCD },
        syncPolicy: { automated: {} },
      },
    };
    await kubectl(['apply', '-f', '-'], JSON.stringify(parent));
    const waiting = await eventually('the parent to wait for the first child', async () => {
      const message: string = (await application('gate-parent')).status?.operationState?.message ?? '';
      return /waiting for healthy state of argoproj\.io\/Application\/gate-first/.test(message) ? message : undefined;
    }, minutes(2));
    expect(waiting).toMatch(/gate-first/);
    expect((await application('gate-first')).status?.health?.status).not.toBe('Healthy');
    expect(await kubectl(['get', 'applications.argoproj.io', 'gate-second', '-n', ARGOCD, '--ignore-not-found', '-o', 'name'])).toBe('');

    // The first child's Deployment becomes runnable: it turns Healthy, and only then is the second created.
    const fixedAt = Math.floor(Date.now() / 1000);
    fs.writeFileSync(path.join(repo, 'gating', 'first', 'deployment.yaml'), JSON.stringify(deployment({})));
    commitAll('test: the first wave can become Healthy');
    await refresh('gate-first');
    const second = await eventually('the second child to be created', () => get('applications.argoproj.io', 'gate-second', ARGOCD).catch(() => undefined), minutes(3));
    expect((await application('gate-first')).status.health.status).toBe('Healthy');
    expect(seconds(second.metadata.creationTimestamp)).toBeGreaterThanOrEqual(fixedAt);
  } finally {
    await kubectl(['delete', 'applications.argoproj.io', 'gate-parent', 'gate-first', 'gate-second', '-n', ARGOCD, '--ignore-not-found', '--wait=true', '--timeout=120s']).catch(() => undefined);
    await kubectl(['delete', 'deployment/gate-first', 'configmap/gate-second', '-n', namespaceOf('dev'), '--ignore-not-found', '--wait=true']).catch(() => undefined);
    await kubectl(['patch', 'configmap', 'argocd-cm', '-n', ARGOCD, '--type', 'merge', '-p', JSON.stringify({ data: { ...Object.fromEntries(Object.keys(patch.data ?? {}).map((k) => [k, null])), ...saved } })]);
  }
}, minutes(8));
