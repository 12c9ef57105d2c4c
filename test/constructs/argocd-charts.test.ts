import { App, Testing } from 'cdk8s';
import { ArgoCdAppsChart, ArgoCdBootstrapChart } from '../../constructs/argocd/argocd-charts';
import { environments } from '../../environments';
import { parseEnvironment, parsePlatform } from '../../environments/load';
import { platform as committedPlatform } from '../../environments/platform';
import type { EnvironmentInput } from '../../environments/schema';
import type { KubeObject } from '../support/dist';

const platform = parsePlatform({ ...committedPlatform, repoURL: 'https://git.example.com/team/fork.git', targetRevision: 'release' });
const kinds = { namespaced: [{ group: 'apps', kind: 'Deployment' }, { group: 'apps', kind: 'Deployment' }], cluster: [{ group: '', kind: 'Namespace' }] };
const configs = (overrides: Record<string, Partial<EnvironmentInput>> = {}) =>
  Object.keys(environments).map((name) => parseEnvironment(name, { ...environments[name], ...overrides[name] }));

function apps(overrides: Record<string, Partial<EnvironmentInput>> = {}): KubeObject[] {
  return Testing.synth(new ArgoCdAppsChart(new App(), 'apps', { platform, environments: configs(overrides), environmentKinds: kinds })) as KubeObject[];
}
const named = (objects: KubeObject[], name: string) => objects.find((o) => o.metadata.name === name)!;

test('points every environment Application and the root at the configured repository and revision', () => {
  const objects = apps();
  expect(named(objects, 'ecodata-dev').spec.source).toEqual({ repoURL: 'https://git.example.com/team/fork.git', targetRevision: 'release', path: 'dist/dev' });
  const root = named(Testing.synth(new ArgoCdBootstrapChart(new App(), 'bootstrap', { platform })) as KubeObject[], 'ecodata-root');
  expect(root.spec.source).toEqual({ repoURL: 'https://git.example.com/team/fork.git', targetRevision: 'release', path: 'dist/argocd/apps' });
  expect(named(objects, 'ecodata').spec.sourceRepos).toEqual(['https://git.example.com/team/fork.git']);
});

test('renders a manual sync policy (no automated block) when an environment asks for it', () => {
  const dev = named(apps({ dev: { sync: { automated: false, prune: false, selfHeal: false } } }), 'ecodata-dev');
  expect(dev.spec.syncPolicy.automated).toBeUndefined();
  expect(dev.spec.syncPolicy.retry.limit).toBe(10);
});

test('deduplicates and sorts the namespaced kinds and names each environment Namespace', () => {
  const project = named(apps(), 'ecodata');
  expect(project.spec.namespaceResourceWhitelist).toEqual([{ group: 'apps', kind: 'Deployment' }]);
  expect(project.spec.clusterResourceWhitelist.map((k: { name: string }) => k.name)).toEqual(['ecodata-dev', 'ecodata-prod', 'ecodata-test']);
});

test('refuses an environment whose CloudNativePG namespace differs from the platform operator namespace', () => {
  expect(() => apps({ test: { cnpgOperatorNamespace: 'postgres-operator' } })).toThrow(
    'environment "test": cnpgOperatorNamespace "postgres-operator" differs from the CloudNativePG namespace "cnpg-system"',
  );
});

test('refuses environments that disagree with the platform, naming each environment and field', () => {
  const error = (() => {
    try {
      apps({
        dev: { gateway: { name: 'other', namespace: 'gateway', sectionName: 'https-dev' }, tls: { issuer: 'vault' } },
        test: { gateway: { name: 'public', namespace: 'gateway', sectionName: 'https-dev' }, monitoring: { labels: {} } },
        prod: { monitoringNamespace: 'observability' },
      });
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected an error');
  })();
  expect(error.split('\n')).toEqual([
    'environment "dev": gateway.name "other" differs from gateway.name "public" in environments/platform.ts',
    'environment "dev": tls.issuer "vault" is not one of tls.issuers in environments/platform.ts (letsencrypt, letsencrypt-staging)',
    'environment "test": monitoring.labels must include release: "kube-prometheus-stack" (the monitoring stack selects monitors and rules by it)',
    'environment "test": gateway.sectionName "https-dev" is already the listener of environment "dev"',
    'environment "prod": monitoringNamespace "observability" differs from kubePrometheusStack.namespace "monitoring" in environments/platform.ts',
  ]);
});
