// A real Kubernetes control plane from local binaries: etcd, kube-apiserver (admission,
// RBAC and Pod Security as a real cluster), kube-controller-manager, kube-scheduler, and
// kwok, which plays the kubelets of simulated nodes (no container ever runs), and Argo CD's
// controller and repo server (argocd.ts). Its whole state lives in one folder; state.json
// there records the processes so `down` can stop them.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { createPki, kubeconfigYaml, type Pki } from './pki';
import { isRunning, killNow, logTail, startProcess, stopProcess, waitFor, type Started } from './processes';
import { kubectl } from './kubectl';
import { kwokStageFiles } from './kwok';
import { DEFAULT_NODES, nodeManifests, nodeNames, type NodeLayout } from './nodes';
import { installCrds } from './install-crds';
import { ARGOCD_NAMESPACE, startArgoCd } from './argocd';

export interface ClusterState {
  readonly dir: string;
  readonly binDir: string;
  readonly kubeconfig: string;
  readonly server: string;
  readonly processes: readonly Started[];
}

export interface UpOptions {
  /** Folder for the cluster's data, certificates, logs and state.json. */
  readonly dir: string;
  /** Folder with the binaries of tools/cluster/build.sh. */
  readonly binDir: string;
  /** Simulated nodes. @default three zones, two nodes each */
  readonly nodes?: NodeLayout;
  /** Progress lines. @default none */
  readonly log?: (line: string) => void;
  /** kwok stage files besides the standard ones (tests add outcomes of their own). @default none */
  readonly extraKwokStages?: readonly string[];
  /** Start Argo CD's application controller and repo server too. @default true */
  readonly argocd?: boolean;
  /** Seconds between Argo CD's full refreshes of every Application. @default 120 */
  readonly argocdAppResyncSeconds?: number;
}

const STATE_FILE = 'state.json';
/** Service CIDR; kubernetes.default gets its first address (pki.KUBERNETES_SERVICE_IP). */
const SERVICE_CIDR = '10.96.0.0/16';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function httpGet(url: string, pki?: Pki): Promise<number> {
  return new Promise((resolve, reject) => {
    const tls = pki ? { ca: fs.readFileSync(pki.caCert), cert: fs.readFileSync(pki.adminCert), key: fs.readFileSync(pki.adminKey) } : {};
    const onResponse = (response: http.IncomingMessage) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    };
    const request = url.startsWith('https:') ? https.get(url, { ...tls, timeout: 2_000 }, onResponse) : http.get(url, { timeout: 2_000 }, onResponse);
    request.once('timeout', () => request.destroy(new Error('timeout')));
    request.once('error', reject);
  });
}

export function readState(dir: string): ClusterState | undefined {
  const file = path.join(dir, STATE_FILE);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ClusterState) : undefined;
}

/** Which recorded processes still run. */
export function processStatus(state: ClusterState): { name: string; pid: number; running: boolean }[] {
  return state.processes.map((p) => ({ name: p.name, pid: p.pid, running: isRunning(p.pid) }));
}

/** Starts a control plane in `options.dir` (which must hold no running cluster). */
export async function up(options: UpOptions): Promise<ClusterState> {
  const { dir, binDir } = options;
  const log = options.log ?? (() => undefined);
  const existing = readState(dir);
  if (existing && processStatus(existing).some((p) => p.running)) {
    throw new Error(`a cluster already runs from ${dir} (run \`down\` first)`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const started: Started[] = [];
  const bin = (name: string) => path.join(binDir, name);
  const state = (server = '', kubeconfig = ''): ClusterState => ({ dir, binDir, kubeconfig, server, processes: started });
  const save = (s: ClusterState) => fs.writeFileSync(path.join(dir, STATE_FILE), `${JSON.stringify(s, null, 2)}\n`);
  const begin = Date.now();
  const step = (line: string) => log(`[${((Date.now() - begin) / 1000).toFixed(1)}s] ${line}`);

  try {
    const pki = createPki(path.join(dir, 'pki'));

    const [etcdClient, etcdPeer, apiPort, cmPort, schedulerPort, kwokPort, ...argocdPorts] = await Promise.all(Array.from({ length: 10 }, freePort));
    step('starting etcd');
    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    const etcd = startProcess('etcd', bin('etcd'), [
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=default=http://127.0.0.1:${etcdPeer}`,
      // A throwaway cluster: durability buys nothing and fsync dominates write latency.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ], logs);
    started.push(etcd);
    save(state());
    await waitFor('etcd /health', async () => (await httpGet(`${etcdUrl}/health`)) === 200, 30_000, etcd);

    step('starting kube-apiserver');
    const server = `https://127.0.0.1:${apiPort}`;
    const apiserver = startProcess('kube-apiserver', bin('kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${pki.serverCert}`,
      `--tls-private-key-file=${pki.serverKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      // Node authorization needs real kubelet identities; kwok's simulated kubelets act
      // through the admin credentials, so RBAC alone (as for every workload identity).
      '--authorization-mode=RBAC',
      // Written out rather than left to the defaults so the test cluster's admission is
      // visible here: the set a production kube-apiserver runs, PodSecurity included.
      '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,PodSecurity,Priority,RuntimeClass,StorageObjectInUseProtection,PersistentVolumeClaimResize,TaintNodesByCondition,MutatingAdmissionWebhook,ValidatingAdmissionPolicy,ValidatingAdmissionWebhook,ResourceQuota',
      '--allow-privileged=false',
      '--profiling=false',
      '--v=1',
    ], logs);
    started.push(apiserver);
    save(state(server));
    await waitFor('kube-apiserver /readyz', async () => (await httpGet(`${server}/readyz`, pki)) === 200, 90_000, apiserver);

    const kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfig, kubeconfigYaml(pki, server), { mode: 0o600 });
    save(state(server, kubeconfig));

    step('starting kube-controller-manager, kube-scheduler and kwok');
    const componentAuth = [`--kubeconfig=${kubeconfig}`, `--authentication-kubeconfig=${kubeconfig}`, `--authorization-kubeconfig=${kubeconfig}`, '--leader-elect=false', '--bind-address=127.0.0.1'];
    // Arguments first, then one start per statement: a start that throws must not leave an
    // already started process out of `started` (the cleanup below stops only those).
    const kwokArgs = [
      `--kubeconfig=${kubeconfig}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--cidr=10.244.0.0/16',
      '--node-ip=10.0.0.1',
      '--node-lease-duration-seconds=40',
      `--server-address=127.0.0.1:${kwokPort}`,
      ...[...kwokStageFiles(), ...(options.extraKwokStages ?? [])].map((file) => `--config=${file}`),
    ];
    started.push(
      startProcess('kube-controller-manager', bin('kube-controller-manager'), [
        ...componentAuth,
        `--secure-port=${cmPort}`,
        // Each controller acts as its own service account, so RBAC applies to them too.
        '--use-service-account-credentials=true',
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        `--cluster-signing-cert-file=${pki.caCert}`,
        `--cluster-signing-key-file=${pki.caKey}`,
        `--service-cluster-ip-range=${SERVICE_CIDR}`,
        '--controllers=*',
        '--v=1',
      ], logs),
    );
    started.push(startProcess('kube-scheduler', bin('kube-scheduler'), [...componentAuth, `--secure-port=${schedulerPort}`, '--v=1'], logs));
    started.push(startProcess('kwok', bin('kwok'), kwokArgs, logs));
    save(state(server, kubeconfig));

    step('creating nodes and installing the upstream CRDs');
    const ready: ClusterState = state(server, kubeconfig);
    await kubectl(ready, ['apply', '--server-side', '-f', '-'], nodeManifests(options.nodes ?? DEFAULT_NODES));
    await installCrds(ready);
    await waitFor(
      'every node Ready',
      async () => {
        const out = await kubectl(ready, ['get', 'nodes', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
        const statuses = out.trim().split('\n');
        return statuses.length === nodeNames(options.nodes ?? DEFAULT_NODES).length && statuses.every((s) => s === 'True');
      },
      60_000,
      started.find((p) => p.name === 'kwok'),
    );
    // The controller manager creates each namespace's `default` ServiceAccount; wait for it
    // so the first pods are not refused for a missing account.
    await waitFor('the default ServiceAccount', async () => (await kubectl(ready, ['get', 'serviceaccount', 'default', '-n', 'default', '-o', 'name'])).trim() !== '', 60_000, started.find((p) => p.name === 'kube-controller-manager'));
    if (options.argocd ?? true) {
      step(`starting Argo CD (application controller, repo server, redis) in namespace ${ARGOCD_NAMESPACE}`);
      await startArgoCd(ready, { ports: argocdPorts as [number, number, number, number], dir: path.join(dir, 'argocd'), logDir: logs, appResyncSeconds: options.argocdAppResyncSeconds }, started);
      save(ready);
    }
    for (const p of started) {
      if (!isRunning(p.pid)) throw new Error(`${p.name} exited; ${p.log}:\n${logTail(p.log)}`);
    }
    step(`ready: ${server}`);
    return ready;
  } catch (error) {
    await Promise.all(started.map((p) => stopProcess(p.pid, 2_000)));
    throw error;
  }
}

/** Stops every process of the cluster in `dir` and removes its data. */
export async function down(dir: string): Promise<boolean> {
  const state = readState(dir);
  if (state) {
    // Reverse start order: kwok and the controllers first, etcd last.
    for (const p of [...state.processes].reverse()) await stopProcess(p.pid);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return state !== undefined;
}

/** For an exiting test runner: kill everything at once (no awaiting in `exit`). */
export function killAll(state: ClusterState): void {
  for (const p of state.processes) killNow(p.pid);
}
