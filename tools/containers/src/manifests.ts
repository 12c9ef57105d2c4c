// Reads the synthesized Deployments (dist/<env>/deployment-<name>.yaml) and turns their pod
// template into what podman understands: `podman run` flags for the smoke test, and a
// host-network variant of the Deployment for `podman kube play`. Settings podman cannot honour
// are refused by name rather than skipped, so a new manifest field cannot pass unchecked.
import fs from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';

export interface HttpProbe {
  readonly httpGet: { readonly path: string; readonly port: number | string; readonly scheme?: string };
  readonly periodSeconds?: number;
  readonly failureThreshold?: number;
  readonly timeoutSeconds?: number;
  readonly initialDelaySeconds?: number;
}

export interface SecurityContext {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly privileged?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
  readonly seccompProfile?: { readonly type: string };
  readonly fsGroup?: number;
  readonly fsGroupChangePolicy?: string;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: { readonly secretKeyRef?: { readonly name: string; readonly key: string } };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly imagePullPolicy?: string;
  readonly command?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly ports?: readonly { readonly containerPort: number; readonly name?: string }[];
  readonly livenessProbe?: HttpProbe;
  readonly readinessProbe?: HttpProbe;
  readonly startupProbe?: HttpProbe;
  readonly lifecycle?: { readonly preStop?: { readonly exec?: { readonly command: readonly string[] } } };
  readonly resources?: { readonly limits?: { readonly cpu?: string; readonly memory?: string } };
  readonly securityContext?: SecurityContext;
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string }[];
}

export interface PodSpec {
  readonly containers: readonly Container[];
  readonly securityContext?: SecurityContext;
  readonly terminationGracePeriodSeconds?: number;
  readonly volumes?: readonly { readonly name: string; readonly emptyDir?: { readonly sizeLimit?: string } }[];
  readonly [field: string]: unknown;
}

/** A Deployment or Job: an object with a pod template. */
export interface Workload {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [field: string]: unknown };
  readonly spec: { readonly replicas?: number; readonly template: { readonly metadata?: unknown; readonly spec: PodSpec }; readonly [field: string]: unknown };
}

export type Deployment = Workload & { readonly kind: 'Deployment' };

export interface Pod {
  readonly apiVersion: 'v1';
  readonly kind: 'Pod';
  readonly metadata: { readonly name: string; readonly labels?: unknown };
  readonly spec: PodSpec;
}
export type Job = Workload & { readonly kind: 'Job' };

function readWorkload(distDir: string, env: string, kind: string, name: string): Workload {
  const file = path.join(distDir, env, `${kind.toLowerCase()}-${name}.yaml`);
  const documents = loadAll(fs.readFileSync(file, 'utf8')) as { kind?: string; metadata?: { name?: string } }[];
  const found = documents.find((doc) => doc?.kind === kind && doc.metadata?.name === name);
  if (!found) throw new Error(`${file} holds no ${kind} named ${name}`);
  return found as Workload;
}

/** The Deployment `name` of environment `env` as synthesized under dist/. */
export function readDeployment(distDir: string, env: string, name: string): Deployment {
  return readWorkload(distDir, env, 'Deployment', name) as Deployment;
}

/** The Job `name` of environment `env`, or undefined when dist/ has none. */
export function readJob(distDir: string, env: string, name: string): Job | undefined {
  if (!fs.existsSync(path.join(distDir, env, `job-${name}.yaml`))) return undefined;
  return readWorkload(distDir, env, 'Job', name) as Job;
}

/** The one container of a workload's pod (the checks run single-container pods). */
export function mainContainer(deployment: Workload): Container {
  const containers = deployment.spec.template.spec.containers;
  if (containers.length !== 1) {
    throw new Error(`Deployment ${deployment.metadata.name} has ${containers.length} containers; the image checks expect exactly one`);
  }
  return containers[0];
}

/** The port a probe targets, resolving a named port through the container's `ports`. */
export function probePort(container: Container, probe: HttpProbe): number {
  const { port } = probe.httpGet;
  if (typeof port === 'number') return port;
  const named = container.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`container ${container.name}: probe port "${port}" names no container port`);
  return named.containerPort;
}

const KNOWN_SECURITY_FIELDS = new Set([
  'runAsUser', 'runAsGroup', 'runAsNonRoot', 'readOnlyRootFilesystem', 'allowPrivilegeEscalation', 'privileged',
  'capabilities', 'seccompProfile', 'fsGroup', 'fsGroupChangePolicy',
]);

/** Pod-level securityContext overlaid by the container's, as the kubelet combines them. */
export function effectiveSecurityContext(deployment: Workload): SecurityContext {
  const pod = deployment.spec.template.spec;
  const merged: SecurityContext = { ...pod.securityContext, ...mainContainer(deployment).securityContext };
  const unknown = Object.keys(merged).filter((field) => !KNOWN_SECURITY_FIELDS.has(field));
  if (unknown.length > 0) throw new Error(`securityContext fields the podman checks cannot apply: ${unknown.join(', ')}`);
  return merged;
}

/** Kubernetes memory quantity (Mi, Gi, M, G, plain bytes) as a podman --memory value in bytes. */
export function memoryBytes(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(quantity);
  if (!match) throw new Error(`unsupported memory quantity "${quantity}"`);
  const factor: Record<string, number> = { '': 1, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };
  return Math.round(Number(match[1]) * factor[match[2] ?? '']);
}

/** Kubernetes CPU quantity ("500m", "1") as a podman --cpus value. */
export function cpus(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m)?$/.exec(quantity);
  if (!match) throw new Error(`unsupported cpu quantity "${quantity}"`);
  return match[2] ? Number(match[1]) / 1000 : Number(match[1]);
}

/**
 * `podman run` flags that give a container what the Deployment's pod would get: user and
 * groups, read-only root with the emptyDir mounts as tmpfs, dropped capabilities, no privilege
 * escalation, the default seccomp profile, resource limits and the grace period.
 */
export function runFlags(deployment: Workload): string[] {
  const pod = deployment.spec.template.spec;
  const container = mainContainer(deployment);
  const sc = effectiveSecurityContext(deployment);
  const flags: string[] = [];

  if (sc.runAsUser !== undefined) flags.push('--user', `${sc.runAsUser}:${sc.runAsGroup ?? sc.runAsUser}`);
  if (sc.runAsNonRoot && (sc.runAsUser === undefined || sc.runAsUser === 0)) {
    throw new Error('runAsNonRoot without a non-zero runAsUser: the checks need the numeric user the kubelet would use');
  }
  if (sc.fsGroup !== undefined) flags.push('--group-add', String(sc.fsGroup));
  if (sc.privileged) flags.push('--privileged');
  if (sc.readOnlyRootFilesystem) flags.push('--read-only', '--read-only-tmpfs=false');
  if (sc.allowPrivilegeEscalation === false) flags.push('--security-opt', 'no-new-privileges');
  for (const cap of sc.capabilities?.drop ?? []) flags.push('--cap-drop', cap);
  for (const cap of sc.capabilities?.add ?? []) flags.push('--cap-add', cap);
  const seccomp = sc.seccompProfile?.type;
  if (seccomp === 'Unconfined') flags.push('--security-opt', 'seccomp=unconfined');
  else if (seccomp !== undefined && seccomp !== 'RuntimeDefault') throw new Error(`seccompProfile ${seccomp} is not supported by the podman checks`);

  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.volumes?.find((v) => v.name === mount.name);
    if (!volume?.emptyDir) throw new Error(`volume ${mount.name} is not an emptyDir; the podman checks only mount emptyDir volumes`);
    const size = volume.emptyDir.sizeLimit ? `,size=${memoryBytes(volume.emptyDir.sizeLimit)}` : '';
    flags.push('--tmpfs', `${mount.mountPath}:rw,nosuid,nodev,mode=1777${size}`);
  }

  const limits = container.resources?.limits;
  if (limits?.memory) flags.push('--memory', String(memoryBytes(limits.memory)));
  if (limits?.cpu) flags.push('--cpus', String(cpus(limits.cpu)));
  flags.push('--stop-timeout', String(pod.terminationGracePeriodSeconds ?? 30));
  return flags;
}

/** The container's literal env values (valueFrom entries are the caller's to provide). */
export function literalEnv(container: Container): Record<string, string> {
  return Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string]));
}

export interface HostNetworkOptions {
  /** Image reference to run instead of the manifest's. */
  readonly image: string;
  /** Port to listen on: with host networking every pod shares the host's ports. */
  readonly port: number;
  /** Port of /metrics and the probes (MANAGEMENT_PORT), free on the host as well. */
  readonly managementPort: number;
  /** Literal env values to replace (e.g. API_URL pointing at the host). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The Deployment rewritten for `podman kube play --network host`: the local image, no
 * container `ports:` (refused with host networking), PORT, MANAGEMENT_PORT and the probes
 * moved to free host ports, and literal env replaced where the cluster DNS names do not exist.
 * Everything else (securityContext, volumes, secretKeyRef env, probes' paths and timings)
 * stays as synthesized.
 */
export function forHostNetwork(deployment: Deployment, options: HostNetworkOptions): Deployment {
  const container = mainContainer(deployment);
  const { PORT: listening, MANAGEMENT_PORT: management } = literalEnv(container);
  if (listening === undefined || management === undefined) {
    throw new Error(`container ${container.name} sets no PORT or MANAGEMENT_PORT; cannot move them to other host ports`);
  }
  const replacements: Record<string, string> = { ...options.env, PORT: String(options.port), MANAGEMENT_PORT: String(options.managementPort) };
  const missing = Object.keys(replacements).filter((name) => !(container.env ?? []).some((e) => e.name === name));
  if (missing.length > 0) throw new Error(`container ${container.name} has no env ${missing.join(', ')} to replace`);

  const moveProbe = (probe: HttpProbe | undefined): HttpProbe | undefined => {
    if (!probe) return undefined;
    if (probePort(container, probe) !== Number(management)) {
      throw new Error(`container ${container.name}: a probe targets port ${probePort(container, probe)}, not the MANAGEMENT_PORT ${management} of the probes`);
    }
    return { ...probe, httpGet: { ...probe.httpGet, port: options.managementPort } };
  };
  const { ports: _ports, ...rest } = container;
  const moved: Container = {
    ...rest,
    image: options.image,
    imagePullPolicy: 'IfNotPresent',
    env: (container.env ?? []).map((e) => (replacements[e.name] !== undefined ? { name: e.name, value: replacements[e.name] } : e)),
    livenessProbe: moveProbe(container.livenessProbe),
    readinessProbe: moveProbe(container.readinessProbe),
    startupProbe: moveProbe(container.startupProbe),
  };
  const withoutUndefined = JSON.parse(JSON.stringify(moved)) as Container;
  return {
    ...deployment,
    spec: {
      ...deployment.spec,
      replicas: 1,
      template: { ...deployment.spec.template, spec: { ...deployment.spec.template.spec, containers: [withoutUndefined] } },
    },
  };
}

/**
 * A Job's pod template as a bare Pod (podman 4.3's kube play knows Pod and Deployment, not
 * Job), running `image`. The Job's own fields (backoff, deadlines, TTL) are the cluster's.
 */
export function jobAsPod(job: Job, image: string): Pod {
  const container = mainContainer(job);
  const spec = job.spec.template.spec;
  if (spec.restartPolicy !== 'Never' && spec.restartPolicy !== 'OnFailure') {
    throw new Error(`Job ${job.metadata.name} has restartPolicy ${String(spec.restartPolicy)}; a Job's pod needs Never or OnFailure`);
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: job.metadata.name, labels: (job.spec.template.metadata as { labels?: unknown } | undefined)?.labels },
    spec: { ...spec, containers: [{ ...container, image, imagePullPolicy: 'IfNotPresent' }] },
  };
}
