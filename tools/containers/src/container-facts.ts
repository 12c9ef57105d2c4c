// What the kernel says about a running container's main process (from /proc/1 inside it), so
// the checks prove the securityContext took effect instead of trusting podman's flags.
import type { SecurityContext } from './manifests';
import { podman } from './podman';

export interface ProcessFacts {
  readonly uid: number;
  readonly gid: number;
  readonly groups: readonly number[];
  /** Effective capability mask, hex as in /proc/<pid>/status. */
  readonly capEff: bigint;
  readonly noNewPrivs: boolean;
  /** 0 none, 1 strict, 2 filter (a seccomp profile is loaded). */
  readonly seccomp: number;
  readonly rootReadOnly: boolean;
  readonly writableMounts: readonly string[];
}

/** Parses /proc/1/status and /proc/1/mounts text. */
export function parseProcessFacts(status: string, mounts: string): ProcessFacts {
  const field = (name: string) => {
    const line = status.split('\n').find((l) => l.startsWith(`${name}:`));
    if (line === undefined) throw new Error(`/proc/1/status has no ${name} line`);
    return line.slice(name.length + 1).trim();
  };
  const mountLines = mounts.split('\n').filter(Boolean).map((l) => l.split(' '));
  const root = mountLines.filter((m) => m[1] === '/').at(-1);
  if (!root) throw new Error('/proc/1/mounts has no root mount');
  return {
    uid: Number(field('Uid').split(/\s+/)[0]),
    gid: Number(field('Gid').split(/\s+/)[0]),
    groups: field('Groups').split(/\s+/).filter(Boolean).map(Number),
    capEff: BigInt(`0x${field('CapEff')}`),
    noNewPrivs: field('NoNewPrivs') === '1',
    seccomp: Number(field('Seccomp')),
    rootReadOnly: root[3].split(',').includes('ro'),
    writableMounts: mountLines
      .filter((m) => m[3].split(',').includes('rw') && !m[1].startsWith('/proc') && !m[1].startsWith('/sys') && !m[1].startsWith('/dev'))
      .map((m) => m[1]),
  };
}

/** Differences between what the securityContext asks for and what the process got. */
export function securityProblems(facts: ProcessFacts, sc: SecurityContext, allowedWritable: readonly string[]): string[] {
  const problems: string[] = [];
  if (sc.runAsUser !== undefined && facts.uid !== sc.runAsUser) problems.push(`runs as uid ${facts.uid}, not ${sc.runAsUser}`);
  if (sc.runAsGroup !== undefined && facts.gid !== sc.runAsGroup) problems.push(`runs as gid ${facts.gid}, not ${sc.runAsGroup}`);
  if (sc.runAsNonRoot && facts.uid === 0) problems.push('runs as root');
  if (sc.fsGroup !== undefined && facts.gid !== sc.fsGroup && !facts.groups.includes(sc.fsGroup)) problems.push(`not in fsGroup ${sc.fsGroup}`);
  if (sc.capabilities?.drop?.includes('ALL') && !sc.capabilities.add?.length && facts.capEff !== 0n) problems.push(`effective capabilities ${facts.capEff.toString(16)}, not none`);
  if (sc.allowPrivilegeEscalation === false && !facts.noNewPrivs) problems.push('no_new_privs is not set');
  if (sc.seccompProfile?.type === 'RuntimeDefault' && facts.seccomp !== 2) problems.push(`seccomp mode ${facts.seccomp}, no filter loaded`);
  if (sc.readOnlyRootFilesystem) {
    if (!facts.rootReadOnly) problems.push('the root filesystem is writable');
    const extra = facts.writableMounts.filter((m) => m !== '/' && !allowedWritable.includes(m));
    if (extra.length > 0) problems.push(`writable mounts beyond the pod's volumes: ${extra.join(', ')}`);
  }
  return problems;
}

/** Reads the facts of a running container and fails with every mismatch. */
export async function checkSecurity(container: string, sc: SecurityContext, allowedWritable: readonly string[]): Promise<ProcessFacts> {
  const [status, mounts] = await Promise.all([
    podman(['exec', container, 'cat', '/proc/1/status']),
    podman(['exec', container, 'cat', '/proc/1/mounts']),
  ]);
  const facts = parseProcessFacts(status, mounts);
  const problems = securityProblems(facts, sc, allowedWritable);
  if (problems.length > 0) throw new Error(`${container}: the securityContext did not take effect: ${problems.join('; ')}`);
  return facts;
}

/** One line for the report. */
export function describeFacts(facts: ProcessFacts): string {
  return `uid ${facts.uid} gid ${facts.gid}, ${facts.rootReadOnly ? 'read-only root' : 'WRITABLE root'} (writable: ${facts.writableMounts.join(', ') || 'none'}), `
    + `CapEff ${facts.capEff.toString(16).padStart(16, '0')}, no_new_privs ${facts.noNewPrivs ? 1 : 0}, seccomp ${facts.seccomp === 2 ? 'filter' : facts.seccomp}`;
}
