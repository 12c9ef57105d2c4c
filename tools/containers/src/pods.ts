// Runs the synthesized dev pod specs with `podman kube play --network host`: the API and front
// Deployments and the migration Job's pod, with the local images, a free host port each (host
// networking shares ports), API_URL pointing at the host, and the database Secret their
// DATABASE_URL comes from. Checks each probe of the manifests the way the kubelet would (path,
// port, period x failure threshold): the API is live but not ready until the Job has migrated
// the database, then ready. And checks that the securityContext took effect in the processes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { dump } from 'js-yaml';
import { checkSecurity, describeFacts } from './container-facts';
import { request, waitForStatus } from './http';
import {
  effectiveSecurityContext, forHostNetwork, jobAsPod, mainContainer, probePort,
  type Container, type Deployment, type HttpProbe, type Job,
} from './manifests';
import { FormClient } from './front-crud';
import { podman, podmanResult } from './podman';
import { apiSignInEnv, frontSecretValues, frontSignInEnv } from '../../oidc/local-sign-in-env';

export interface PodsOptions {
  readonly api: Deployment;
  readonly front: Deployment;
  readonly migrate?: Job;
  readonly apiImage: string;
  readonly frontImage: string;
  readonly databaseUrl: string;
  readonly apiPort: number;
  readonly frontPort: number;
  readonly apiManagementPort: number;
  readonly frontManagementPort: number;
  /** The local OpenID provider both pods trust. */
  readonly oidc: { readonly issuer: string };
  readonly log: (line: string) => void;
}

/** Every Secret the containers reference by secretKeyRef, with the value of each key. */
export function referencedSecrets(containers: readonly Container[], values: Readonly<Record<string, string>>): Map<string, Record<string, string>> {
  const secrets = new Map<string, Record<string, string>>();
  for (const container of containers) {
    for (const env of container.env ?? []) {
      const ref = env.valueFrom?.secretKeyRef;
      if (!ref) continue;
      const value = values[env.name];
      if (value === undefined) throw new Error(`no value for Secret ${ref.name} key ${ref.key} (env ${env.name} of container ${container.name})`);
      secrets.set(ref.name, { ...secrets.get(ref.name), [ref.key]: value });
    }
  }
  return secrets;
}

/** podman 4.3's kube play resolves secretKeyRef from a podman secret holding {key: base64}. */
async function createSecret(name: string, data: Record<string, string>, dir: string): Promise<void> {
  const file = path.join(dir, `secret-${name}.json`);
  const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
  fs.writeFileSync(file, JSON.stringify(encoded), { mode: 0o600 });
  await podmanResult(['secret', 'rm', name]);
  await podman(['secret', 'create', name, file]);
}

/** The budget the kubelet gives a probe: initial delay plus failureThreshold x periodSeconds. */
function budgetMs(spec: HttpProbe): number {
  return ((spec.initialDelaySeconds ?? 0) + (spec.failureThreshold ?? 3) * (spec.periodSeconds ?? 10)) * 1000;
}

async function passProbe(container: Container, spec: HttpProbe | undefined, what: string, log: (line: string) => void): Promise<void> {
  if (!spec) return;
  const url = `http://127.0.0.1:${probePort(container, spec)}${spec.httpGet.path}`;
  const ms = await waitForStatus(url, 200, budgetMs(spec), Math.min(1000, (spec.periodSeconds ?? 10) * 1000));
  log(`${what} ${spec.httpGet.path} passed after ${ms} ms (budget ${budgetMs(spec) / 1000} s)`);
}

/** kube play names a Deployment's containers <name>-pod[-<n>]-<container> (varies by version). */
async function containerName(podName: string, container: string): Promise<string> {
  const names = (await podman(['ps', '--all', '--format', '{{.Names}}'])).split('\n');
  const pattern = new RegExp(`^${podName}(-pod)?(-\\d+)?-${container}$`);
  const found = names.find((n) => pattern.test(n));
  if (!found) throw new Error(`no container of pod ${podName} named like ${pattern} among: ${names.join(' ')}`);
  return found;
}

async function waitForExit(name: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const [status, code] = (await podman(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', name])).trim().split(' ');
    if (status === 'exited' || status === 'stopped') return Number(code);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} still running after ${timeoutMs} ms`);
}

export async function playPods(options: PodsOptions): Promise<void> {
  const { log } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-pods-'));
  const apiUrl = `http://127.0.0.1:${options.apiPort}`;
  const frontUrl = `http://127.0.0.1:${options.frontPort}`;
  const api = forHostNetwork(options.api, {
    image: options.apiImage, port: options.apiPort, managementPort: options.apiManagementPort, env: apiSignInEnv(options.oidc.issuer),
  });
  const synthesizedScopes = mainContainer(options.front).env?.find((e) => e.name === 'OIDC_SCOPES')?.value ?? 'openid';
  const front = forHostNetwork(options.front, {
    image: options.frontImage, port: options.frontPort, managementPort: options.frontManagementPort,
    env: { API_URL: apiUrl, API_MANAGEMENT_URL: `http://127.0.0.1:${options.apiManagementPort}`, ...frontSignInEnv(options.oidc.issuer, frontUrl, synthesizedScopes) },
  });
  const migrate = options.migrate && jobAsPod(options.migrate, options.apiImage);
  const deploymentsFile = path.join(dir, 'deployments.yaml');
  const migrateFile = path.join(dir, 'migrate.yaml');
  fs.writeFileSync(deploymentsFile, [api, front].map((d) => dump(d, { noRefs: true })).join('---\n'));
  if (migrate) fs.writeFileSync(migrateFile, dump(migrate, { noRefs: true }));
  const containers = [mainContainer(api), mainContainer(front), ...(migrate ? migrate.spec.containers : [])];
  const secrets = referencedSecrets(containers, { DATABASE_URL: options.databaseUrl, ...frontSecretValues() });
  const names = new Map<string, string>();
  try {
    for (const [name, data] of secrets) await createSecret(name, data, dir);
    let started = Date.now();
    await podman(['kube', 'play', '--network', 'host', deploymentsFile]);
    log(`podman kube play --network host: Deployments ${api.metadata.name}, ${front.metadata.name} started in ${Date.now() - started} ms`);
    for (const d of [api, front]) names.set(d.metadata.name, await containerName(d.metadata.name, mainContainer(d).name));

    const apiContainer = mainContainer(api);
    await passProbe(apiContainer, apiContainer.startupProbe, 'pod api: startupProbe', log);
    if (migrate) {
      const readiness = await request(`http://127.0.0.1:${options.apiManagementPort}${apiContainer.readinessProbe?.httpGet.path ?? '/readyz'}`);
      if (readiness.status !== 503) throw new Error(`before migrations the API's readiness answered ${readiness.status}, expected 503`);
      log('pod api: not ready before the migration Job ran (503), as intended');
      started = Date.now();
      await podman(['kube', 'play', '--network', 'host', migrateFile]);
      const name = await containerName(migrate.metadata.name, migrate.spec.containers[0].name);
      const code = await waitForExit(name, (options.migrate?.spec.activeDeadlineSeconds as number | undefined ?? 600) * 1000);
      if (code !== 0) {
        const logs = await podmanResult(['logs', name]);
        throw new Error(`the migration Job's pod exited with ${code}:\n${logs.stdout}${logs.stderr}`);
      }
      log(`pod migrate (Job ${options.migrate?.metadata.name} as a Pod): exited 0 after ${Date.now() - started} ms`);
    }

    for (const deployment of [api, front]) {
      const container = mainContainer(deployment);
      const what = `pod ${deployment.metadata.name}:`;
      if (deployment !== api) await passProbe(container, container.startupProbe, `${what} startupProbe`, log);
      await passProbe(container, container.readinessProbe, `${what} readinessProbe`, log);
      await passProbe(container, container.livenessProbe, `${what} livenessProbe`, log);
      const facts = await checkSecurity(names.get(deployment.metadata.name)!, effectiveSecurityContext(deployment), (container.volumeMounts ?? []).map((m) => m.mountPath));
      log(`${what} ${describeFacts(facts)}`);
    }
    const browser = new FormClient(frontUrl);
    await browser.signIn('viewer');
    const page = await browser.get('/measurements');
    if (page.status !== 200) throw new Error(`the front pod's /measurements answered ${page.status} to the signed-in viewer`);
    log('pod front: the local viewer signs in through the provider and /measurements renders (200) through the API pod');
  } catch (error) {
    for (const name of names.values()) {
      const logs = await podmanResult(['logs', '--tail', '40', name]);
      log(`--- last log lines of ${name}:\n${`${logs.stdout}${logs.stderr}`.trim()}`);
    }
    throw error;
  } finally {
    await podmanResult(['kube', 'down', deploymentsFile]);
    if (migrate) await podmanResult(['kube', 'down', migrateFile]);
    for (const name of secrets.keys()) await podmanResult(['secret', 'rm', name]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
