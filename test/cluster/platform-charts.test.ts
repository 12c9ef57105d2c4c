// The platform components whose source is in a Go module, rendered with this repository's
// values (test/cluster/support/platform-charts.ts) and applied to the real API server as a
// server dry run: strict validation, admission (Pod Security of the namespaces the
// Applications create) and the CRDs they bring. A wrong value, a field the pinned version no
// longer has, or a pod the namespace's Pod Security level refuses fails here. Every kind and
// namespace they contain must be allowed by their AppProject, or Argo CD would refuse the sync.
import { findObject, loadArgoCdManifests, type KubeObject } from '../support/dist';
import { kubectl, kubectlWithWarnings, FIELD_MANAGER } from './support/cluster';
import { CHART_SOURCES, platformApplication, renderArgoCd, renderChart, type RenderedComponent } from './support/platform-charts';

const project = (name: string) => findObject(loadArgoCdManifests(), 'argocd', 'AppProject', name);
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');

/** Creates the namespace as the Application's CreateNamespace=true would, labels included. */
async function destinationNamespace(application: KubeObject): Promise<void> {
  const name = application.spec.destination.namespace;
  const labels = application.spec.syncPolicy.managedNamespaceMetadata?.labels ?? {};
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
  await kubectl(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], JSON.stringify(namespace));
}

let clusterScopedCache: Promise<Set<string>> | undefined;

/**
 * Kinds the API server serves cluster-scoped, by `<group>/<Kind>` (asked once): like Argo CD,
 * the apply gives every other object without a namespace the Application's destination namespace.
 */
function clusterScopedKinds(): Promise<Set<string>> {
  clusterScopedCache ??= askClusterScopedKinds();
  return clusterScopedCache;
}

async function askClusterScopedKinds(): Promise<Set<string>> {
  const lines = (await kubectl(['api-resources', '--namespaced=false', '--no-headers'])).trim().split('\n');
  return new Set(lines.map((line) => line.trim().split(/\s+/)).map((fields) => `${groupOf(fields[fields.length - 3])}/${fields[fields.length - 1]}`));
}

/** Applied lines, and the Pod Security warnings the server gave (workloads are warned about, pods refused). */
async function dryRun(component: RenderedComponent): Promise<{ applied: string[]; podSecurity: string[] }> {
  await destinationNamespace(component.application);
  const clusterScoped = await clusterScopedKinds();
  const namespace = component.application.spec.destination.namespace;
  const objects = component.objects.map((object) =>
    object.metadata.namespace || clusterScoped.has(`${groupOf(object.apiVersion)}/${object.kind}`) ? object : { ...object, metadata: { ...object.metadata, namespace } },
  );
  const list = { apiVersion: 'v1', kind: 'List', items: objects };
  const { stdout, stderr } = await kubectlWithWarnings(
    ['apply', '--server-side', '--dry-run=server', '--validate=strict', `--field-manager=${FIELD_MANAGER}`, '--force-conflicts', '-f', '-'],
    JSON.stringify(list),
  );
  return { applied: stdout.trim().split('\n'), podSecurity: stderr.split('\n').filter((line) => /would violate PodSecurity/.test(line)) };
}

/** What the AppProject would refuse: kinds outside its whitelists, namespaces outside its destinations. */
function refusedByProject(component: RenderedComponent): string[] {
  const owner = project(component.application.spec.project);
  const allowed = (list: { group: string; kind: string; name?: string }[], object: KubeObject) =>
    list.some((k) => k.group === groupOf(object.apiVersion) && k.kind === object.kind && (k.name === undefined || k.name === object.metadata.name));
  const destinations = new Set(owner.spec.destinations.map((d: { namespace: string }) => d.namespace));
  return component.objects.flatMap((object) => {
    const id = `${object.kind}/${object.metadata.name}`;
    const clusterScoped = allowed(owner.spec.clusterResourceWhitelist ?? [], object);
    if (clusterScoped) return [];
    if (!allowed(owner.spec.namespaceResourceWhitelist ?? [], object)) return [`${id}: kind not whitelisted`];
    const namespace = object.metadata.namespace ?? component.application.spec.destination.namespace;
    return destinations.has(namespace) ? [] : [`${id}: namespace ${namespace} not a destination`];
  });
}

const components: [string, () => RenderedComponent][] = [
  ...CHART_SOURCES.map((source) => [source.application, () => renderChart(source)] as [string, () => RenderedComponent]),
  ['argocd', renderArgoCd],
];

describe.each(components)('%s', (_name, render) => {
  let component: RenderedComponent;
  beforeAll(() => {
    component = render();
  });

  test('renders with the committed values and is accepted by strict server-side apply (dry run), within its namespace\'s Pod Security level', async () => {
    expect(component.objects.length).toBeGreaterThan(0);
    const { applied, podSecurity } = await dryRun(component);
    expect(applied).toHaveLength(component.objects.length);
    expect(applied.every((line) => / serverside-applied \(server dry run\)$/.test(line))).toBe(true);
    expect(podSecurity).toEqual([]);
  });

  test('contains only kinds and namespaces its AppProject allows', () => {
    expect(refusedByProject(component)).toEqual([]);
  });
});

test('the rendered Envoy Gateway runs its proxies in the Gateway namespace', () => {
  const rendered = renderChart(CHART_SOURCES.find((s) => s.application === 'envoy-gateway')!);
  const config = rendered.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'envoy-gateway-config')!;
  expect(config.data['envoy-gateway.yaml']).toMatch(/deploy:\s+type: GatewayNamespace/);
});

test('the rendered cert-manager has Gateway API support on and a ServiceMonitor the monitoring stack selects', () => {
  const rendered = renderChart(CHART_SOURCES.find((s) => s.application === 'cert-manager')!);
  const config = rendered.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'cert-manager')!;
  expect(config.data['config.yaml']).toMatch(/enableGatewayAPI: true/);
  const monitor = rendered.objects.find((o) => o.kind === 'ServiceMonitor')!;
  const selector = platformStackSelector();
  expect(Object.entries(selector).every(([k, v]) => monitor.metadata.labels?.[k] === v)).toBe(true);
});

test("the rendered Argo CD's argocd-cm carries the Application health check", () => {
  const rendered = renderArgoCd();
  const cm = rendered.objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm')!;
  expect(cm.data['resource.customizations.health.argoproj.io_Application']).toMatch(/hs.status = obj.status.health.status/);
});

function platformStackSelector(): Record<string, string> {
  return platformApplication('kube-prometheus-stack').spec.source.helm.valuesObject.prometheus.prometheusSpec.serviceMonitorSelector.matchLabels;
}
