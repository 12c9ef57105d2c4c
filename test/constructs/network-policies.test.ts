import { Testing } from 'cdk8s';
import { AppNetworkPolicies, type AppNetworkPoliciesProps } from '../../constructs/network-policies';
import type { KubeObject } from '../support/dist';

const front = { 'app.kubernetes.io/name': 'front' };
const api = { 'app.kubernetes.io/name': 'api' };
const db = { 'cnpg.io/cluster': 'database' };
const ns = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const envoy = { 'app.kubernetes.io/name': 'envoy' };
const prometheus = { 'app.kubernetes.io/name': 'prometheus' };
/** Those pods of that namespace only: both selectors in one peer. */
const podsIn = (name: string, labels: Record<string, string>) => ({ ...ns(name), podSelector: { matchLabels: labels } });
const tcp = (...ports: number[]) => ports.map((port) => ({ port, protocol: 'TCP' }));

function synth(overrides: Partial<AppNetworkPoliciesProps> = {}): Map<string, KubeObject> {
  const chart = Testing.chart();
  new AppNetworkPolicies(chart, 'NetworkPolicies', {
    front: { name: 'front', selector: front, port: 8080, managementPort: 9090 },
    api: { name: 'api', selector: api, port: 8080, managementPort: 9090 },
    database: { name: 'database', selector: db, port: 5432, metricsPort: 9187 },
    gatewayProxies: { namespace: 'gateway', podLabels: envoy },
    prometheus: { namespace: 'monitoring', podLabels: prometheus },
    cnpgOperatorNamespace: 'cnpg-system',
    kubernetesApi: { cidrs: ['10.0.0.1/32'], ports: [443] },
    ...overrides,
  });
  return new Map((Testing.synth(chart) as KubeObject[]).map((o) => [o.metadata.name, o]));
}

const policies = synth();

test('denies everything by default and allows DNS to kube-system on 53 UDP and TCP', () => {
  expect(policies.get('default-deny')!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  expect(policies.get('allow-dns')!.spec.egress).toEqual([{ to: [ns('kube-system')], ports: [{ port: 53, protocol: 'UDP' }, ...tcp(53)] }]);
});

test('the front accepts the gateway proxies on 8080 and Prometheus (not every pod of their namespaces) on the management port only, and may only call the API (and its health)', () => {
  const { spec } = policies.get('front')!;
  expect(spec.ingress).toEqual([
    { from: [podsIn('gateway', envoy)], ports: tcp(8080) },
    { from: [podsIn('monitoring', prometheus)], ports: tcp(9090) },
  ]);
  expect(spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: api } }], ports: tcp(8080, 9090) }]);
});

test('the API accepts the front on 8080 and 9090 (its health), Prometheus on the management port, and may only reach PostgreSQL', () => {
  const { spec } = policies.get('api')!;
  expect(spec.ingress).toEqual([
    { from: [{ podSelector: { matchLabels: front } }], ports: tcp(8080, 9090) },
    { from: [podsIn('monitoring', prometheus)], ports: tcp(9090) },
  ]);
  expect(spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: db } }], ports: tcp(5432) }]);
});

test('with an identity provider, the front and the API (not the database) may reach it', () => {
  const withProvider = synth({ identityProvider: { cidrs: ['203.0.113.0/24'], ports: [443] } });
  const toProvider = { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: tcp(443) };
  expect(withProvider.get('front')!.spec.egress).toContainEqual(toProvider);
  expect(withProvider.get('api')!.spec.egress).toContainEqual(toProvider);
  expect(withProvider.get('database')!.spec.egress).not.toContainEqual(toProvider);
});

test('the database accepts the API, the operator, its peers and the exporter scrape, and reaches peers and the API server', () => {
  const { spec } = policies.get('database')!;
  expect(spec.podSelector).toEqual({ matchLabels: db });
  expect(spec.ingress).toEqual([
    { from: [{ podSelector: { matchLabels: api } }], ports: tcp(5432) },
    { from: [ns('cnpg-system')], ports: tcp(8000, 5432) },
    { from: [{ podSelector: { matchLabels: db } }], ports: tcp(5432) },
    { from: [podsIn('monitoring', prometheus)], ports: tcp(9187) },
  ]);
  expect(spec.egress).toEqual([
    { to: [{ podSelector: { matchLabels: db } }], ports: tcp(5432) },
    { to: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: tcp(443) },
  ]);
});

test('the DNS namespace and the instance manager port can be changed', () => {
  const changed = synth({
    dnsNamespace: 'dns',
    database: { name: 'database', selector: db, port: 5432, metricsPort: 9187, instanceManagerPort: 8001 },
  });
  expect(changed.get('allow-dns')!.spec.egress[0].to).toEqual([ns('dns')]);
  expect(changed.get('database')!.spec.ingress[1].ports).toEqual(tcp(8001, 5432));
});

describe('with a migration Job', () => {
  const migrate = { 'app.kubernetes.io/name': 'migrate' };
  const withMigration = synth({ migration: { name: 'migrate', selector: migrate } });

  test('lets the migration pods reach PostgreSQL only, and nothing reach them', () => {
    expect(withMigration.get('migrate')!.spec).toEqual({
      podSelector: { matchLabels: migrate },
      policyTypes: ['Ingress', 'Egress'],
      egress: [{ to: [{ podSelector: { matchLabels: db } }], ports: tcp(5432) }],
    });
  });

  test('admits the migration pods into the database on 5432', () => {
    expect(withMigration.get('database')!.spec.ingress).toContainEqual({ from: [{ podSelector: { matchLabels: migrate } }], ports: tcp(5432) });
  });

  test('renders no migration policy when there is no migration Job', () => {
    expect(policies.has('migrate')).toBe(false);
  });
});
