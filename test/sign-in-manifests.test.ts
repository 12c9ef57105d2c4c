// Sign-in as rendered in the committed dist/: what reaches the internet is the front's
// application port only (never /metrics or the probes, which live on the management port that
// only Prometheus, and on the API the front, may reach), the front and the API agree on the issuer and the audience, the
// front believes X-Forwarded-Proto (so its cookies are Secure behind the gateway) only because
// nothing but the gateway's proxies can reach it, and no secret is in git.
import { selectorLabels } from '../constructs/labels';
import { byKind, environmentFolders, loadManifests, type KubeObject } from './support/dist';
import { parseEnvironment } from '../environments/load';
import { environments as environmentInputs } from '../environments';

const manifests = loadManifests();
const environments = environmentFolders();

interface Container {
  name: string;
  ports: Array<{ name: string; containerPort: number }>;
  env: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  readinessProbe: { httpGet: { port: number } };
  livenessProbe: { httpGet: { port: number } };
}
const containerOf = (env: string, name: string): Container =>
  byKind(manifests, env, 'Deployment').find((d) => d.metadata.name === name)!.spec.template.spec.containers[0];
const envValue = (container: Container, name: string) => container.env.find((e) => e.name === name);
const serviceOf = (env: string, name: string): KubeObject => byKind(manifests, env, 'Service').find((s) => s.metadata.name === name)!;

describe.each(environments)('%s', (env) => {
  const config = parseEnvironment(env, environmentInputs[env]);

  test('every HTTPRoute sends traffic to an application port, never to the management port of /metrics and the probes', () => {
    const routes = byKind(manifests, env, 'HTTPRoute');
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      for (const rule of route.spec.rules) {
        for (const ref of rule.backendRefs) {
          const servicePort = serviceOf(env, ref.name).spec.ports.find((p: { port: number }) => p.port === ref.port);
          const container = containerOf(env, ref.name);
          const target = container.ports.find((p) => p.containerPort === servicePort.targetPort)!;
          expect(target.name).toBe('http');
          expect(Number(envValue(container, 'MANAGEMENT_PORT')?.value)).not.toBe(target.containerPort);
        }
      }
    }
  });

  test.each(['api', 'front'])('%s serves /metrics and the probes on its management port, which only Prometheus (and for the API, the front) may reach', (name) => {
    const container = containerOf(env, name);
    const management = container.ports.find((p) => p.name === 'management')!;
    expect(Number(envValue(container, 'MANAGEMENT_PORT')?.value)).toBe(management.containerPort);
    expect(container.readinessProbe.httpGet.port).toBe(management.containerPort);
    expect(container.livenessProbe.httpGet.port).toBe(management.containerPort);
    const monitor = byKind(manifests, env, 'ServiceMonitor').find((m) => m.metadata.name === name)!;
    expect(monitor.spec.endpoints.map((e: { port: string }) => e.port)).toEqual(['management']);
    const policy = byKind(manifests, env, 'NetworkPolicy').find((p) => p.metadata.name === name)!;
    const admitting = policy.spec.ingress.filter((rule: { ports: Array<{ port: number }> }) => rule.ports.some((p) => p.port === management.containerPort));
    const prometheus = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': config.monitoringNamespace } }, podSelector: { matchLabels: config.prometheusPodLabels } };
    // Prometheus, and for the API also the front pods of the same namespace (the front's
    // readiness asks the API's /healthz); never the gateway's proxies.
    const peers = admitting.flatMap((rule: { from: unknown[] }) => rule.from);
    expect(peers).toContainEqual(prometheus);
    const frontPods = { podSelector: { matchLabels: selectorLabels('front') } };
    expect(peers.filter((peer: unknown) => JSON.stringify(peer) !== JSON.stringify(prometheus))).toEqual(name === 'api' ? [frontPods] : []);
  });

  test('the front believes X-Forwarded-Proto, and only the gateway proxies can send it to the application port', () => {
    const front = containerOf(env, 'front');
    expect(envValue(front, 'TRUST_PROXY')?.value).toBe('true');
    expect(envValue(front, 'PUBLIC_URL')?.value).toBe(`https://${config.host}`);
    const policy = byKind(manifests, env, 'NetworkPolicy').find((p) => p.metadata.name === 'front')!;
    const http = front.ports.find((p) => p.name === 'http')!.containerPort;
    const admitting = policy.spec.ingress.filter((rule: { ports: Array<{ port: number }> }) => rule.ports.some((p) => p.port === http));
    expect(admitting).toEqual([
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': config.gateway.dataPlaneNamespace ?? config.gateway.namespace } }, podSelector: { matchLabels: config.gateway.dataPlanePodLabels } }],
        ports: [{ port: http, protocol: 'TCP' }],
      },
    ]);
  });

  test('the front and the API trust the same issuer, audience and role mapping as the config', () => {
    const front = containerOf(env, 'front');
    const api = containerOf(env, 'api');
    expect(envValue(api, 'OIDC_ISSUER')?.value).toBe(config.auth.issuer);
    expect(envValue(front, 'OIDC_ISSUER')?.value).toBe(config.auth.issuer);
    expect(envValue(api, 'OIDC_AUDIENCE')?.value).toBe(config.auth.apiAudience);
    expect(envValue(front, 'OIDC_API_AUDIENCE')?.value).toBe(config.auth.apiAudience);
    expect(JSON.parse(envValue(api, 'OIDC_ROLE_MAPPING')!.value!)).toEqual(config.auth.roleMapping);
    expect(envValue(front, 'OIDC_ROLE_MAPPING')?.value).toBe(envValue(api, 'OIDC_ROLE_MAPPING')?.value);
    expect(envValue(api, 'ANONYMOUS_READ')?.value).toBe('false');
  });

  test('the client secret and the session key come from the out-of-band Secret, never from git', () => {
    const front = containerOf(env, 'front');
    for (const [name, key] of [['OIDC_CLIENT_SECRET', config.auth.frontSecret.clientSecretKey], ['SESSION_SECRET', config.auth.frontSecret.sessionSecretKey]]) {
      expect(envValue(front, name)).toEqual({ name, valueFrom: { secretKeyRef: { name: config.auth.frontSecret.name, key } } });
    }
    expect(byKind(manifests, env, 'Secret')).toEqual([]);
  });
});
