// Argo CD against the control plane, as local processes the way Argo CD's own Procfile runs
// its e2e tests: the application controller and the repo server (one binary, the component
// chosen by ARGOCD_BINARY_NAME) with Debian's redis-server as their cache. ARGOCD_FAKE_IN_CLUSTER
// maps the in-cluster destination https://kubernetes.default.svc to KUBECONFIG. No API server
// and no UI: Applications are driven with kubectl, as `argocd app` would drive them.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repositoryRoot } from '../../repo-root';
import { requiredVersion } from './go-mod';
import { kubectl, type KubectlTarget } from './kubectl';
import { startProcess, waitFor, type Started } from './processes';
import { moduleDir } from './upstream-crds';

export const ARGOCD_NAMESPACE = 'argocd';
export const ARGOCD_MODULE = 'github.com/argoproj/argo-cd/v3';

/**
 * The repo server runs `git-verify-wrapper.sh` for every revision it renders (the Argo CD
 * image installs it from hack/ into /usr/local/bin) and fails with "permission denied" when
 * it is missing. It comes from the module at the built version; the module cache drops the
 * executable bit, so it is copied into the cluster's own folder.
 */
function installGitVerifyWrapper(binDir: string): void {
  const version = requiredVersion(path.join(repositoryRoot(), 'tools', 'cluster', 'modules', 'argocd', 'go.mod'), ARGOCD_MODULE);
  fs.mkdirSync(binDir, { recursive: true });
  const target = path.join(binDir, 'git-verify-wrapper.sh');
  fs.copyFileSync(path.join(moduleDir(ARGOCD_MODULE, version), 'hack', 'git-verify-wrapper.sh'), target);
  fs.chmodSync(target, 0o755);
}

export interface ArgoCdOptions {
  /** Ports: redis, repo server, its metrics, the controller's metrics. */
  readonly ports: readonly [number, number, number, number];
  /** Folder for Argo CD's scratch data (TLS, SSH, GnuPG folders) and redis. */
  readonly dir: string;
  readonly logDir: string;
  /** Seconds between the controller's full refreshes (Argo CD's default is 120). @default 120 */
  readonly appResyncSeconds?: number;
}

/** What an installation of Argo CD brings before its controllers start. */
function installationObjects(): string {
  const labels = { 'app.kubernetes.io/part-of': 'argocd' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGOCD_NAMESPACE } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm', namespace: ARGOCD_NAMESPACE, labels: { ...labels, 'app.kubernetes.io/name': 'argocd-cm' } }, data: {} },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-rbac-cm', namespace: ARGOCD_NAMESPACE, labels: { ...labels, 'app.kubernetes.io/name': 'argocd-rbac-cm' } }, data: {} },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'argocd-secret', namespace: ARGOCD_NAMESPACE, labels: { ...labels, 'app.kubernetes.io/name': 'argocd-secret' } },
      type: 'Opaque',
      // The key Argo CD signs its tokens with; fresh for every throwaway cluster.
      stringData: { 'server.secretkey': randomBytes(32).toString('base64') },
    },
  ]
    .map((object) => JSON.stringify(object))
    .join('\n---\n');
}

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** Applies the installation objects and starts redis, the repo server and the controller. */
export async function startArgoCd(target: KubectlTarget, options: ArgoCdOptions, started: Started[]): Promise<void> {
  const [redisPort, repoPort, repoMetrics, controllerMetrics] = options.ports;
  await kubectl(target, ['apply', '--server-side', '--field-manager=ecodata-cluster', '-f', '-'], installationObjects());

  const data = (name: string) => {
    const dir = path.join(options.dir, name);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  };
  // No persistence: a cache, thrown away with the cluster.
  const redis = startProcess('redis', 'redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', data('redis')], options.logDir);
  started.push(redis);
  await waitFor('redis', () => portOpen(redisPort), 20_000, redis);

  const env = {
    ...process.env,
    KUBECONFIG: target.kubeconfig,
    ARGOCD_FAKE_IN_CLUSTER: 'true',
    ARGOCD_TLS_DATA_PATH: data('tls'),
    ARGOCD_SSH_DATA_PATH: data('ssh'),
    ARGOCD_GNUPGHOME: data('gnupg'),
    ARGOCD_GPG_DATA_PATH: data('gpg-source'),
    ARGOCD_GPG_ENABLED: 'false',
  };
  const argocd = path.join(target.binDir, 'argocd');
  // As in Argo CD's Procfile: the repo server serves gRPC over TLS with a certificate it
  // generates itself, and the controller accepts it (no --repo-server-strict-tls).
  const tools = path.join(options.dir, 'bin');
  installGitVerifyWrapper(tools);
  const repoServer = startProcess('argocd-repo-server', argocd, ['--address', '127.0.0.1', '--port', String(repoPort), '--metrics-port', String(repoMetrics), '--redis', `127.0.0.1:${redisPort}`, '--loglevel', 'info'], options.logDir, {
    ...env,
    PATH: `${tools}${path.delimiter}${process.env.PATH ?? ''}`,
    ARGOCD_BINARY_NAME: 'argocd-repo-server',
  });
  started.push(repoServer);
  const controller = startProcess(
    'argocd-application-controller',
    argocd,
    [
      `--kubeconfig=${target.kubeconfig}`,
      `--namespace=${ARGOCD_NAMESPACE}`,
      '--redis', `127.0.0.1:${redisPort}`,
      '--repo-server', `127.0.0.1:${repoPort}`,
      '--metrics-port', String(controllerMetrics),
      '--app-resync', String(options.appResyncSeconds ?? 120),
      '--loglevel', 'info',
    ],
    options.logDir,
    // The controller takes its shard from the StatefulSet ordinal in its hostname.
    { ...env, ARGOCD_BINARY_NAME: 'argocd-application-controller', HOSTNAME: 'argocd-application-controller-0' },
  );
  started.push(controller);
  await waitFor('the Argo CD repo server', () => portOpen(repoPort), 60_000, repoServer);
  await waitFor('the Argo CD application controller', () => portOpen(controllerMetrics), 60_000, controller);
}
