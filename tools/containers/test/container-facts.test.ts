import { parseProcessFacts, securityProblems } from '../src/container-facts';
import type { SecurityContext } from '../src/manifests';

const status = (uid: number, capEff: string, noNewPrivs: number) => [
  'Name:\tnode', `Uid:\t${uid}\t${uid}\t${uid}\t${uid}`, `Gid:\t${uid}\t${uid}\t${uid}\t${uid}`, `Groups:\t${uid} `,
  `CapEff:\t${capEff}`, `NoNewPrivs:\t${noNewPrivs}`, 'Seccomp:\t2', '',
].join('\n');
const mounts = (rootOptions: string) => [
  `overlay / overlay ${rootOptions},relatime,lowerdir=/x 0 0`,
  'proc /proc proc rw,nosuid 0 0',
  'tmpfs /tmp tmpfs rw,nosuid,nodev 0 0',
  '/dev/vda /etc/hosts ext4 ro,nosuid 0 0',
  '',
].join('\n');
const manifest: SecurityContext = {
  runAsUser: 10001, runAsGroup: 10001, runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' }, fsGroup: 10001,
};

describe('securityProblems', () => {
  it('finds nothing wrong with a process that got everything the securityContext asks for', () => {
    const facts = parseProcessFacts(status(10001, '0000000000000000', 1), mounts('ro'));
    expect(facts.writableMounts).toEqual(['/tmp']);
    expect(securityProblems(facts, manifest, ['/tmp'])).toEqual([]);
  });

  it('reports a root process with capabilities, privilege escalation and a writable root', () => {
    const problems = securityProblems(parseProcessFacts(status(0, '00000000a80425fb', 0), mounts('rw')), manifest, ['/tmp']);
    expect(problems).toEqual(expect.arrayContaining([
      'runs as uid 0, not 10001', 'runs as root', 'effective capabilities a80425fb, not none',
      'no_new_privs is not set', 'the root filesystem is writable',
    ]));
  });

  it('reports a writable mount that is not one of the pod volumes', () => {
    const facts = parseProcessFacts(status(10001, '0000000000000000', 1), mounts('ro'));
    expect(securityProblems(facts, manifest, [])).toEqual(['writable mounts beyond the pod\'s volumes: /tmp']);
  });
});
