// The platform layer joins up with the environments, checked on the committed dist/: every
// HTTPRoute attaches to an HTTPS listener of the platform Gateway that serves its host and
// admits its namespace; every listener has a certificate from an existing issuer; the
// NetworkPolicies admit the pods where the gateway proxies and Prometheus really run (labels
// read from Envoy Gateway's and the Prometheus Operator's source at the pinned versions); the
// monitoring stack's selectors pick every monitor and rule; Argo CD's own Application carries
// the health check the waves depend on.
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import { ARGOCD_CM_DATA } from '../constructs/argocd/argocd-settings';
import { parsePlatform } from '../environments/load';
import { platform as platformInput } from '../environments/platform';
import { chartModule, moduleDir } from '../tools/cluster/src/upstream-crds';
import { byKind, environmentFolders, loadArgoCdManifests, loadManifests, loadPlatformManifests, type KubeObject } from './support/dist';

const platform = parsePlatform(platformInput);
const manifests = loadManifests();
const environments = environmentFolders();
const platformObjects = loadPlatformManifests().map((m) => m.object);
const applications = loadArgoCdManifests().map((m) => m.object).filter((o) => o.kind === 'Application');
const application = (name: string) => applications.find((a) => a.metadata.name === name)!;
const ofKind = (kind: string) => platformObjects.filter((o) => o.kind === kind);
const gateway = ofKind('Gateway').find((g) => g.metadata.name === platform.gateway.name)!;
const gatewayNamespace = gateway.metadata.namespace!;
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([key, value]) => labels[key] === value);
const namespaceLabels = (name: string) => ({ 'kubernetes.io/metadata.name': name });

test('dist/platform/ holds one Gateway of the platform GatewayClass, which Envoy Gateway controls', () => {
  expect(ofKind('Gateway')).toHaveLength(1);
  expect(gateway.metadata.namespace).toBe(platform.gateway.namespace);
  expect(gateway.spec.gatewayClassName).toBe(platform.gateway.className);
  expect(ofKind('GatewayClass').map((c) => [c.metadata.name, c.spec.controllerName])).toEqual([[platform.gateway.className, 'gateway.envoyproxy.io/gatewayclass-controller']]);
});

describe.each(environments)('environment %s', (environment) => {
  const namespace = `ecodata-${environment}`;
  const routes = byKind(manifests, environment, 'HTTPRoute');

  test('every HTTPRoute binds by sectionName to an HTTPS listener that serves its host and admits its namespace', () => {
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      expect(route.spec.parentRefs).toHaveLength(1);
      const [parent] = route.spec.parentRefs;
      expect([parent.name, parent.namespace]).toEqual([gateway.metadata.name, gateway.metadata.namespace]);
      const listener = gateway.spec.listeners.find((l: { name: string }) => l.name === parent.sectionName);
      expect(listener).toBeDefined();
      expect(listener.protocol).toBe('HTTPS');
      expect(route.spec.hostnames).toEqual([listener.hostname]);
      expect(listener.allowedRoutes.namespaces.from).toBe('Selector');
      expect(matches(listener.allowedRoutes.namespaces.selector.matchLabels, namespaceLabels(namespace))).toBe(true);
    }
  });

  test('its listener serves a certificate for its host from an issuer dist/platform/ defines', () => {
    const [route] = routes;
    const listener = gateway.spec.listeners.find((l: { name: string }) => l.name === route.spec.parentRefs[0].sectionName);
    const secret = listener.tls.certificateRefs[0].name;
    const certificate = ofKind('Certificate').find((c) => c.spec.secretName === secret)!;
    expect(certificate.metadata.namespace).toBe(gateway.metadata.namespace);
    expect(certificate.spec.dnsNames).toEqual([listener.hostname]);
    expect(ofKind('ClusterIssuer').map((i) => i.metadata.name)).toContain(certificate.spec.issuerRef.name);
  });

  test('the front admits exactly the Envoy proxy pods of the Gateway namespace, on its port', () => {
    const front = byKind(manifests, environment, 'NetworkPolicy').find((p) => p.metadata.name === 'front')!;
    const fromGateway = front.spec.ingress.filter((rule: { from: { namespaceSelector?: { matchLabels: Record<string, string> } }[] }) =>
      rule.from.some((peer) => peer.namespaceSelector && matches(peer.namespaceSelector.matchLabels, namespaceLabels(gatewayNamespace))),
    );
    expect(fromGateway).toHaveLength(1);
    expect(fromGateway[0].from).toEqual([{ namespaceSelector: { matchLabels: namespaceLabels(gatewayNamespace) }, podSelector: { matchLabels: envoyProxyLabels() } }]);
  });

  test('Prometheus reaches every metrics port: the policies name the monitoring namespace and the labels the operator gives Prometheus pods', () => {
    const prometheusPeers = byKind(manifests, environment, 'NetworkPolicy')
      .flatMap((policy) => policy.spec.ingress ?? [])
      .flatMap((rule: { from: object[] }) => rule.from)
      .filter((peer: { namespaceSelector?: { matchLabels: Record<string, string> } }) => peer.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === platform.kubePrometheusStack.namespace);
    // front, api and the PostgreSQL exporter
    expect(prometheusPeers).toHaveLength(3);
    for (const peer of prometheusPeers) expect(peer).toEqual({ namespaceSelector: { matchLabels: namespaceLabels(platform.kubePrometheusStack.namespace) }, podSelector: { matchLabels: prometheusPodLabels() } });
  });

  test('the monitoring stack selects every ServiceMonitor, PodMonitor and PrometheusRule of the environment', () => {
    const spec = application('kube-prometheus-stack').spec.source.helm.valuesObject.prometheus.prometheusSpec;
    for (const [kind, field] of [['ServiceMonitor', 'serviceMonitor'], ['PodMonitor', 'podMonitor'], ['PrometheusRule', 'rule']] as const) {
      const objects = byKind(manifests, environment, kind);
      expect(objects.length).toBeGreaterThan(0);
      // {} selects every namespace.
      expect(spec[`${field}NamespaceSelector`]).toEqual({});
      for (const object of objects) expect(matches(spec[`${field}Selector`].matchLabels, object.metadata.labels)).toBe(true);
    }
  });

  test('its dashboard goes into a Grafana folder of its own, which the sidecar reads from every namespace', () => {
    const sidecar = application('kube-prometheus-stack').spec.source.helm.valuesObject.grafana.sidecar.dashboards;
    const dashboards = byKind(manifests, environment, 'ConfigMap').filter((c) => c.metadata.labels?.[sidecar.label] === sidecar.labelValue);
    expect(dashboards).toHaveLength(1);
    expect(sidecar.searchNamespace).toBe('ALL');
    expect(dashboards[0].metadata.annotations?.[sidecar.folderAnnotation]).toBe(namespace);
  });
});

test('the plain-HTTP listener only redirects to HTTPS, for every environment host', () => {
  const http = gateway.spec.listeners.find((l: { protocol: string }) => l.protocol === 'HTTP');
  expect(http.allowedRoutes.namespaces.from).toBe('Same');
  const onHttp = ofKind('HTTPRoute').filter((r) => r.spec.parentRefs.some((p: { sectionName: string }) => p.sectionName === http.name));
  expect(onHttp).toHaveLength(1);
  expect(onHttp[0].spec.rules).toEqual([{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }]);
  const hosts = gateway.spec.listeners.filter((l: { protocol: string }) => l.protocol === 'HTTPS').map((l: { hostname: string }) => l.hostname);
  expect(onHttp[0].spec.hostnames.sort()).toEqual(hosts.sort());
  // The ACME issuers solve HTTP-01 on that listener.
  for (const issuer of ofKind('ClusterIssuer')) {
    expect(issuer.spec.acme.solvers).toEqual([{ http01: { gatewayHTTPRoute: { parentRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: gateway.metadata.name, namespace: gateway.metadata.namespace, sectionName: http.name }] } } }]);
  }
});

test('Envoy Gateway runs the proxies in the Gateway namespace (GatewayNamespace mode), which the front policy relies on', () => {
  const values = application('envoy-gateway').spec.source.helm.valuesObject;
  expect(values.config.envoyGateway.provider.kubernetes.deploy.type).toBe('GatewayNamespace');
});

test('Alertmanager sends to a webhook whose URL is read from a Secret, and no value holds a secret', () => {
  const values = application('kube-prometheus-stack').spec.source.helm.valuesObject;
  expect(values.alertmanager.alertmanagerSpec.secrets).toEqual([platform.alerting.receiverSecret]);
  const receiver = values.alertmanager.config.receivers.find((r: { name: string }) => r.name === values.alertmanager.config.route.receiver);
  expect(receiver.webhook_configs).toEqual([{ url_file: `/etc/alertmanager/secrets/${platform.alerting.receiverSecret}/url`, send_resolved: true }]);
  expect(values.grafana.admin.existingSecret).toBe(platform.grafana.adminSecret);
  expect(JSON.stringify(applications)).not.toMatch(/password|adminPassword|"url":/i);
});

test("Argo CD's own Application patches argocd-cm with exactly the settings the waves need", () => {
  const [patch] = application('argocd').spec.source.kustomize.patches;
  expect(patch.target).toEqual({ kind: 'ConfigMap', name: 'argocd-cm' });
  expect((load(patch.patch) as KubeObject).data).toEqual(ARGOCD_CM_DATA);
  expect(application('argocd').spec.source.targetRevision).toBe(platform.argocd.version);
});

/** EnvoyAppLabel() of Envoy Gateway's proxy infrastructure code, at the pinned version. */
function envoyProxyLabels(): Record<string, string> {
  const { module, version } = chartModule(platform.envoyGateway, 'github.com/envoyproxy/gateway');
  const source = fs.readFileSync(path.join(moduleDir(module, version), 'internal/infrastructure/kubernetes/proxy/resource.go'), 'utf8');
  const body = /func EnvoyAppLabel\(\) map\[string\]string \{\s*return map\[string\]string\{([^}]*)\}/.exec(source);
  if (!body) throw new Error(`EnvoyAppLabel() not found in Envoy Gateway ${version}`);
  return Object.fromEntries([...body[1].matchAll(/"([^"]+)":\s*"([^"]+)"/g)].map((m) => [m[1], m[2]]));
}

/** The app.kubernetes.io/name the Prometheus Operator puts on Prometheus pods (makeSelectorLabels), at the pinned version. */
function prometheusPodLabels(): Record<string, string> {
  const dir = moduleDir('github.com/prometheus-operator/prometheus-operator', platform.prometheusOperatorCrds.version);
  const operator = fs.readFileSync(path.join(dir, 'pkg/prometheus/server/operator.go'), 'utf8');
  const key = /ApplicationNameLabelKey = "([^"]+)"/.exec(fs.readFileSync(path.join(dir, 'pkg/operator/kubernetes.go'), 'utf8'))?.[1];
  const value = /applicationNameLabelValue\s*=\s*"([^"]+)"/.exec(operator)?.[1];
  if (!key || !value || !/func makeSelectorLabels[^}]*operator\.ApplicationNameLabelKey:\s*applicationNameLabelValue/.test(operator)) {
    throw new Error(`the Prometheus pod labels of prometheus-operator ${platform.prometheusOperatorCrds.version} were not found`);
  }
  return { [key]: value };
}
