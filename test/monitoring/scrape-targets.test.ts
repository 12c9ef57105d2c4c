// Prometheus must actually reach what the monitors select: each ServiceMonitor selects an
// existing Service by labels and a named port, the PodMonitor selects the CloudNativePG
// instance pods, and the NetworkPolicies let the monitoring namespace in on those ports.
import { environments } from '../../environments';
import { parseEnvironment } from '../../environments/load';
import { byKind, findObject, loadManifests, type KubeObject } from '../support/dist';

const manifests = loadManifests();
const environmentNames = Object.keys(environments);
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** Whether some NetworkPolicy of the environment admits `namespace` to pods labelled `podLabels` on `port`. */
/** Whether a NetworkPolicy of the environment lets the Prometheus pods reach these pods on this port. */
function admits(environment: string, prometheus: { namespace: string; podLabels: Record<string, string> }, podLabels: Record<string, string>, port: number): boolean {
  return byKind(manifests, environment, 'NetworkPolicy').some(
    (policy: KubeObject) =>
      matches(policy.spec.podSelector.matchLabels ?? {}, podLabels) &&
      (policy.spec.ingress ?? []).some(
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        (rule: any) =>
          rule.from?.some(
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            (peer: any) =>
              peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === prometheus.namespace &&
              matches(peer.podSelector?.matchLabels ?? {}, prometheus.podLabels),
          ) &&
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          rule.ports?.some((p: any) => p.port === port),
      ),
  );
}

describe.each(environmentNames)('%s', (environment) => {
  const config = parseEnvironment(environment, environments[environment]);
  const prometheus = { namespace: config.monitoringNamespace, podLabels: config.prometheusPodLabels };

  test.each(['api', 'front'])('the %s ServiceMonitor selects its Service by a named port that Prometheus may reach', (name) => {
    const monitor = findObject(manifests, environment, 'ServiceMonitor', name);
    const selected = byKind(manifests, environment, 'Service').filter((service) => matches(monitor.spec.selector.matchLabels, service.metadata.labels));
    expect(selected.map((service) => service.metadata.name)).toEqual([name]);
    const endpoint = monitor.spec.endpoints[0];
    expect(endpoint.path).toBe('/metrics');
    const port = selected[0].spec.ports.find((p: { name?: string }) => p.name === endpoint.port);
    expect(port).toBeDefined();
    const deployment = findObject(manifests, environment, 'Deployment', name);
    expect(matches(selected[0].spec.selector, deployment.spec.template.metadata.labels)).toBe(true);
    expect(admits(environment, prometheus, deployment.spec.template.metadata.labels, port.targetPort)).toBe(true);
  });

  test('the database PodMonitor selects the Cluster instances on the exporter port, which Prometheus may reach', () => {
    const cluster = byKind(manifests, environment, 'Cluster')[0];
    const monitor = findObject(manifests, environment, 'PodMonitor', cluster.metadata.name);
    expect(monitor.spec.selector.matchLabels).toEqual({ 'cnpg.io/cluster': cluster.metadata.name });
    expect(monitor.spec.podMetricsEndpoints).toEqual([expect.objectContaining({ port: 'metrics' })]);
    // CloudNativePG names the exporter port of every instance pod `metrics` (9187).
    expect(admits(environment, prometheus, { 'cnpg.io/cluster': cluster.metadata.name }, 9187)).toBe(true);
    // The operator's own PodMonitor would scrape the same pods twice.
    expect(cluster.spec.monitoring.enablePodMonitor).toBe(false);
  });

  test('the check that Prometheus may reach a port fails for a port no policy opens', () => {
    expect(admits(environment, prometheus, { 'cnpg.io/cluster': 'database' }, 5432)).toBe(false);
  });
});
