import path from 'node:path';
import {
  cpus, effectiveSecurityContext, forHostNetwork, jobAsPod, mainContainer, memoryBytes, readDeployment, readJob, runFlags,
  type Deployment,
} from '../src/manifests';

const dist = path.join(__dirname, '..', '..', '..', 'dist');
const api = readDeployment(dist, 'dev', 'api');
const front = readDeployment(dist, 'dev', 'front');

function withSecurityContext(deployment: Deployment, securityContext: Record<string, unknown>): Deployment {
  const container = { ...mainContainer(deployment), securityContext };
  return { ...deployment, spec: { ...deployment.spec, template: { spec: { ...deployment.spec.template.spec, containers: [container] } } } };
}

describe('runFlags', () => {
  it('gives podman run the user, read-only root, tmpfs volumes, capabilities, limits and grace period of the dev API pod', () => {
    const flags = runFlags(api).join(' ');
    expect(flags).toContain('--user 10001:10001');
    expect(flags).toContain('--read-only --read-only-tmpfs=false');
    expect(flags).toContain('--tmpfs /tmp:');
    expect(flags).toContain('--cap-drop ALL');
    expect(flags).toContain('--security-opt no-new-privileges');
    expect(flags).toContain(`--memory ${256 * 1024 * 1024}`);
    expect(flags).toContain('--cpus 0.5');
    expect(flags).toContain('--stop-timeout 30');
  });

  it('refuses a securityContext field it does not know how to apply', () => {
    expect(() => runFlags(withSecurityContext(api, { runAsUser: 10001, procMount: 'Unmasked' }))).toThrow(/procMount/);
  });

  it('refuses runAsNonRoot without a numeric non-root user', () => {
    const deployment = withSecurityContext(api, { runAsNonRoot: true, runAsUser: 0 });
    expect(() => runFlags({ ...deployment, spec: { ...deployment.spec, template: { spec: { ...deployment.spec.template.spec, securityContext: {} } } } }))
      .toThrow(/runAsNonRoot/);
  });

  it('lets the container securityContext override the pod one', () => {
    expect(effectiveSecurityContext(withSecurityContext(front, { runAsUser: 20002 })).runAsUser).toBe(20002);
  });
});

describe('quantities', () => {
  it('converts Kubernetes memory and CPU quantities for podman', () => {
    expect(memoryBytes('192Mi')).toBe(192 * 1024 * 1024);
    expect(memoryBytes('1G')).toBe(1e9);
    expect(cpus('250m')).toBe(0.25);
    expect(cpus('2')).toBe(2);
    expect(() => memoryBytes('lots')).toThrow(/lots/);
  });
});

describe('forHostNetwork', () => {
  const moved = forHostNetwork(front, { image: 'localhost/ecodata-front:local', port: 41234, managementPort: 41235, env: { API_URL: 'http://127.0.0.1:41233' } });
  const container = mainContainer(moved);

  it('runs the local image without container ports, on the given ports, with the probes moved to the management one', () => {
    expect(container.image).toBe('localhost/ecodata-front:local');
    expect(container.ports).toBeUndefined();
    expect(container.env?.find((e) => e.name === 'PORT')?.value).toBe('41234');
    expect(container.env?.find((e) => e.name === 'MANAGEMENT_PORT')?.value).toBe('41235');
    expect(container.env?.find((e) => e.name === 'API_URL')?.value).toBe('http://127.0.0.1:41233');
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
      expect(probe?.httpGet.port).toBe(41235);
    }
  });

  it('keeps the securityContext, volumes and probe paths as synthesized', () => {
    expect(container.securityContext).toEqual(mainContainer(front).securityContext);
    expect(moved.spec.template.spec.volumes).toEqual(front.spec.template.spec.volumes);
    expect(container.readinessProbe?.httpGet.path).toBe(mainContainer(front).readinessProbe?.httpGet.path);
  });

  it('keeps secretKeyRef env for the podman secret to fill', () => {
    const apiContainer = mainContainer(forHostNetwork(api, { image: 'localhost/ecodata-api:local', port: 41233, managementPort: 41236 }));
    expect(apiContainer.env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({ name: 'database-app', key: 'uri' });
  });

  it('refuses to replace env the manifest does not set', () => {
    expect(() => forHostNetwork(api, { image: 'x', port: 1, managementPort: 2, env: { API_URL: 'http://x' } })).toThrow(/no env API_URL/);
  });
});

describe('jobAsPod', () => {
  it('turns the dev migration Job into a Pod that runs the local API image', () => {
    const job = readJob(dist, 'dev', 'migrate');
    expect(job).toBeDefined();
    const pod = jobAsPod(job!, 'localhost/ecodata-api:local');
    expect(pod.kind).toBe('Pod');
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.containers[0].image).toBe('localhost/ecodata-api:local');
    expect(pod.spec.containers[0].command).toEqual(mainContainer(job!).command);
  });
});
