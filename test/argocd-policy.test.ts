// Rules for the Argo CD objects in dist/argocd/ and the ordering inside each environment,
// checked on the committed manifests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePlatform } from '../environments/load';
import { platform as platformInput } from '../environments/platform';
import { byKind, distDir, environmentFolders, findObject, loadArgoCdManifests, loadManifests, type KubeObject } from './support/dist';

const platform = parsePlatform(platformInput);
const argocd = loadArgoCdManifests();
const manifests = loadManifests();
const environments = environmentFolders();
const inFolder = (folder: string) => argocd.filter((m) => m.file.startsWith(`argocd/${folder}/`)).map((m) => m.object);
const bootstrap = inFolder('bootstrap');
const apps = inFolder('apps');
const applications = apps.filter((o) => o.kind === 'Application');
const projects = apps.filter((o) => o.kind === 'AppProject');
const project = (name: string) => projects.find((p) => p.metadata.name === name)!;
const environmentApp = (environment: string) => applications.find((a) => a.spec.source.path === `dist/${environment}`)!;
const wave = (object: KubeObject) => Number(object.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0');
const SERVER = 'https://kubernetes.default.svc';

describe('bootstrap', () => {
  const root = bootstrap.find((o) => o.kind === 'Application')!;

  test('dist/argocd/bootstrap/ holds exactly the root Application and its AppProject', () => {
    expect(bootstrap.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['AppProject/ecodata-bootstrap', 'Application/ecodata-root']);
  });

  test('the root Application syncs dist/argocd/apps/ of the configured repository and revision, not its own folder', () => {
    expect(root.spec.source).toEqual({ repoURL: platform.repoURL, targetRevision: platform.targetRevision, path: 'dist/argocd/apps' });
    expect(fs.existsSync(path.join(distDir, 'argocd', 'apps'))).toBe(true);
    expect(apps.some((o) => o.metadata.name === root.metadata.name)).toBe(false);
    expect(root.spec.project).toBe('ecodata-bootstrap');
    expect(root.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
  });

  test('the root Application has no cascade finalizer, so deleting it never deletes the environments', () => {
    expect(root.metadata.finalizers).toBeUndefined();
  });

  test('the bootstrap project only lets the root create Applications and AppProjects in the Argo CD namespace', () => {
    const bootstrapProject = bootstrap.find((o) => o.kind === 'AppProject')!;
    expect(bootstrapProject.spec.sourceRepos).toEqual([platform.repoURL]);
    expect(bootstrapProject.spec.destinations).toEqual([{ server: SERVER, namespace: 'argocd' }]);
    expect(bootstrapProject.spec.clusterResourceWhitelist).toBeUndefined();
    expect(bootstrapProject.spec.namespaceResourceWhitelist).toEqual([
      { group: 'argoproj.io', kind: 'AppProject' },
      { group: 'argoproj.io', kind: 'Application' },
    ]);
  });

  test('every Argo CD object lives in the Argo CD namespace', () => {
    for (const { object } of argocd) expect(object.metadata.namespace).toBe(platform.argocdNamespace);
  });
});

describe('environment Applications', () => {
  test('there is one Application per environment folder, pointing at an existing dist/<env> of this repository', () => {
    const paths = applications.filter((a) => a.spec.project === 'ecodata').map((a) => a.spec.source.path).sort();
    expect(paths).toEqual(environments.map((e) => `dist/${e}`).sort());
    for (const environment of environments) {
      const app = environmentApp(environment);
      expect(fs.statSync(path.join(distDir, environment)).isDirectory()).toBe(true);
      expect(app.spec.source.repoURL).toBe(platform.repoURL);
      expect(app.spec.source.targetRevision).toBe(platform.targetRevision);
      expect(app.spec.destination).toEqual({ server: SERVER, namespace: `ecodata-${environment}` });
    }
  });

  test.each(['dev', 'test'])('%s syncs automatically with prune and self-heal and cleans up when its Application is deleted', (environment) => {
    const app = environmentApp(environment);
    expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
  });

  test('prod syncs automatically with self-heal but never prunes, is never pruned by the root and survives deletion of its Application', () => {
    const app = environmentApp('prod');
    expect(app.spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: true });
    expect(app.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false');
    expect(app.metadata.finalizers).toBeUndefined();
  });

  test('every Application retries failed syncs with a bounded exponential backoff', () => {
    for (const app of [...applications, ...bootstrap.filter((o) => o.kind === 'Application')]) {
      expect(app.spec.syncPolicy.retry.limit).toBeGreaterThan(0);
      expect(app.spec.syncPolicy.retry.backoff).toEqual({ duration: '15s', factor: 2, maxDuration: '10m' });
      // A retry syncs the newest commit, so a rollback is not stuck behind a failing deploy.
      expect(app.spec.syncPolicy.retry.refresh).toBe(true);
    }
  });
});

describe('AppProjects', () => {
  test('the environments project allows only this repository and only the environment namespaces', () => {
    const ecodata = project('ecodata');
    expect(ecodata.spec.sourceRepos).toEqual([platform.repoURL]);
    expect(ecodata.spec.destinations).toEqual(environments.map((e) => ({ server: SERVER, namespace: `ecodata-${e}` })));
  });

  test('the environments project allows only each environment Namespace as a cluster-scoped object', () => {
    expect(project('ecodata').spec.clusterResourceWhitelist).toEqual(environments.map((e) => ({ group: '', kind: 'Namespace', name: `ecodata-${e}` })));
  });

  test('the environments project allows exactly the namespaced kinds the environments contain', () => {
    const kinds = new Set(
      manifests.filter((m) => m.object.metadata.namespace !== undefined).map((m) => `${m.object.apiVersion.split('/').slice(0, -1).join('/')}/${m.object.kind}`),
    );
    const allowed = project('ecodata').spec.namespaceResourceWhitelist.map((k: { group: string; kind: string }) => `${k.group}/${k.kind}`);
    expect(new Set(allowed)).toEqual(kinds);
    expect(allowed).not.toContain('/Secret');
  });

  test('the platform project allows only the pinned upstream sources and the platform namespaces, and never wildcards', () => {
    const platformProject = project('ecodata-platform');
    const charts = [platform.certManager, platform.envoyGateway, platform.cloudnativePg, platform.barmanCloudPlugin, platform.metricsServer, platform.kubePrometheusStack];
    expect(platformProject.spec.sourceRepos.sort()).toEqual(
      [...new Set([platform.argocd.repoURL, platform.gatewayApiCrds.repoURL, platform.prometheusOperatorCrds.repoURL, ...charts.map((c) => c.repoURL)])].sort(),
    );
    expect(platformProject.spec.destinations.map((d: { namespace: string }) => d.namespace)).toEqual([
      'argocd',
      'cert-manager',
      'cnpg-system',
      'envoy-gateway-system',
      'gateway',
      'kube-system',
      'monitoring',
    ]);
    // Namespaces only by name: the ones its Applications create.
    expect(platformProject.spec.clusterResourceWhitelist.filter((k: { kind: string }) => k.kind === 'Namespace')).toEqual(
      ['cert-manager', 'cnpg-system', 'envoy-gateway-system', 'monitoring'].map((name) => ({ group: '', kind: 'Namespace', name })),
    );
    expect(JSON.stringify(projects)).not.toContain('"*"');
  });

  test('every Application belongs to a project defined in dist/argocd/ whose sources and destinations admit it', () => {
    for (const app of applications) {
      const owner = project(app.spec.project);
      expect(owner.spec.sourceRepos).toContain(app.spec.source.repoURL);
      expect(owner.spec.destinations).toContainEqual(app.spec.destination);
    }
  });
});

describe('platform Applications', () => {
  const platformApps = applications.filter((a) => a.spec.project === 'ecodata-platform');
  const app = (name: string) => platformApps.find((a) => a.metadata.name === name)!;

  test('the CloudNativePG operator is the cloudnative-pg Helm chart 0.29.0 in cnpg-system, applied server-side', () => {
    expect(app('cloudnative-pg').spec.source).toMatchObject({ repoURL: 'https://cloudnative-pg.github.io/charts', chart: 'cloudnative-pg', targetRevision: '0.29.0' });
    expect(app('cloudnative-pg').spec.destination.namespace).toBe('cnpg-system');
    expect(app('cloudnative-pg').spec.syncPolicy.syncOptions).toEqual(expect.arrayContaining(['ServerSideApply=true', 'CreateNamespace=true']));
  });

  test('the Gateway API CRDs come from the standard channel of the v1.6.1 tag, applied server-side', () => {
    expect(app('gateway-api-crds').spec.source).toEqual({
      repoURL: 'https://github.com/kubernetes-sigs/gateway-api.git',
      targetRevision: 'v1.6.1',
      path: 'config/crd/standard',
    });
    expect(app('gateway-api-crds').spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  test('the Prometheus Operator CRDs come from the v0.93.0 tag, applied server-side', () => {
    expect(app('prometheus-operator-crds').spec.source.targetRevision).toBe('v0.93.0');
    expect(app('prometheus-operator-crds').spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
  });

  test('the Barman Cloud plugin is chart 0.7.0 in the operator namespace, running the images of plugin release v0.15.0, never pruned', () => {
    const plugin = app('barman-cloud-plugin');
    expect(plugin.spec.source).toMatchObject({ repoURL: 'https://cloudnative-pg.github.io/charts', chart: 'plugin-barman-cloud', targetRevision: '0.7.0' });
    expect(plugin.spec.source.helm.valuesObject).toEqual({ image: { tag: 'v0.15.0' }, sidecarImage: { tag: 'v0.15.0' } });
    expect(plugin.spec.destination.namespace).toBe(platform.cloudnativePg.namespace);
    expect(plugin.spec.syncPolicy.automated.prune).toBe(false);
    expect(plugin.metadata.finalizers).toBeUndefined();
  });

  test('every upstream version is pinned exactly (no ranges, wildcards or branches)', () => {
    expect(platformApps.map((a) => a.metadata.name).sort()).toEqual([
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
    ]);
    for (const platformApp of platformApps) expect(platformApp.spec.source.targetRevision).toMatch(/^v?\d+\.\d+\.\d+$/);
  });

  test('no platform Application prunes or cascades deletion (removing a CRD deletes every object of its kind)', () => {
    for (const platformApp of platformApps) {
      expect(platformApp.spec.syncPolicy.automated.prune).toBe(false);
      expect(platformApp.metadata.finalizers).toBeUndefined();
    }
  });

  test('projects come first, then CRDs, then controllers, then their configs, then the environments', () => {
    const waves = (...names: string[]) => names.map((name) => wave(apps.find((o) => o.metadata.name === name)!));
    const layers = [
      projects.map(wave),
      waves('gateway-api-crds', 'prometheus-operator-crds', 'envoy-gateway-crds'),
      waves('argocd', 'cert-manager', 'envoy-gateway', 'cloudnative-pg', 'metrics-server', 'kube-prometheus-stack'),
      waves('platform-configs'),
      environments.map((e) => wave(environmentApp(e))),
    ];
    for (let i = 1; i < layers.length; i++) expect(Math.max(...layers[i - 1])).toBeLessThan(Math.min(...layers[i]));
    expect(applications.filter((a) => a.metadata.name !== 'platform-configs' && a.spec.project !== 'ecodata-platform').map((a) => a.metadata.name).sort()).toEqual(
      environments.map((e) => `ecodata-${e}`).sort(),
    );
  });
});

describe.each(environments)('ordering inside environment %s', (environment) => {
  const job = findObject(manifests, environment, 'Job', 'migrate');
  const api = findObject(manifests, environment, 'Deployment', 'api');

  test('namespace < configuration < database < migration Job < Deployments', () => {
    const namespace = wave(byKind(manifests, environment, 'Namespace')[0]);
    const policies = byKind(manifests, environment, 'NetworkPolicy').map(wave);
    const database = wave(byKind(manifests, environment, 'Cluster')[0]);
    const deployments = byKind(manifests, environment, 'Deployment').map(wave);
    expect(namespace).toBeLessThan(Math.min(...policies));
    expect(Math.max(...policies)).toBeLessThan(database);
    expect(database).toBeLessThan(wave(job));
    expect(wave(job)).toBeLessThan(Math.min(...deployments));
  });

  test('every object carries an explicit sync wave', () => {
    for (const object of manifests.filter((m) => m.environment === environment).map((m) => m.object)) {
      expect(object.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toMatch(/^-?\d+$/);
    }
  });

  test('the migration Job is a Sync hook (not PreSync) replaced before each run, with few retries, a deadline and a TTL', () => {
    expect(job.metadata.annotations).toMatchObject({
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    });
    expect(job.spec.backoffLimit).toBeLessThanOrEqual(2);
    expect(job.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(job.spec.ttlSecondsAfterFinished).toBeGreaterThan(0);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  test('the migration Job runs `node build/migrate.js` from the API image with the database URL from the operator Secret', () => {
    const container = job.spec.template.spec.containers[0];
    const apiContainer = api.spec.template.spec.containers[0];
    expect(container.command).toEqual(['node', 'build/migrate.js']);
    expect(container.image).toBe(apiContainer.image);
    expect(container.env).toContainEqual({ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'database-app', key: 'uri' } } });
  });

  test('the migration Job has exactly the API pod and container security context, a writable /tmp and no token', () => {
    const pod = job.spec.template.spec;
    const apiPod = api.spec.template.spec;
    expect(pod.securityContext).toEqual(apiPod.securityContext);
    expect(pod.containers[0].securityContext).toEqual(apiPod.containers[0].securityContext);
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true });
    expect(pod.containers[0].volumeMounts).toEqual([{ mountPath: '/tmp', name: 'tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].resources).toEqual(apiPod.containers[0].resources);
  });

  test('the migration Job may reach PostgreSQL (and DNS) and the database admits it', () => {
    const labels = job.spec.template.metadata.labels;
    const matches = (selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
    const own = byKind(manifests, environment, 'NetworkPolicy').find((p) => Object.keys(p.spec.podSelector).length > 0 && matches(p.spec.podSelector.matchLabels))!;
    expect(own.spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { 'cnpg.io/cluster': 'database' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    const database = findObject(manifests, environment, 'NetworkPolicy', 'database');
    expect(database.spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: own.spec.podSelector.matchLabels } }], ports: [{ port: 5432, protocol: 'TCP' }] });
    expect(findObject(manifests, environment, 'NetworkPolicy', 'allow-dns').spec.podSelector).toEqual({});
  });
});
