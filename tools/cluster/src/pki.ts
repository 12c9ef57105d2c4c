// The certificates and keys of a throwaway control plane, made with the openssl command line
// (Debian's openssl): a CA, the API server's serving certificate, one client certificate in
// system:masters for the components and the user, and the service-account signing key pair.
// ECDSA P-256 keys: fast to generate, accepted by every component.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly adminCert: string;
  readonly adminKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

/** The Service IP of `kubernetes.default` for the service CIDR the API server is given. */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';

const openssl = (args: string[], cwd: string): void => {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
};

function issue(dir: string, name: string, subject: string, extensions: string): void {
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, extensions);
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
  openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-out', `${name}.crt`, '-extfile', ext], dir);
}

/** Writes a fresh PKI into `dir` (created, mode 0700). */
export function createPki(dir: string): Pki {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=ecodata-test-cluster-ca'], dir);
  const serverNames = ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local'];
  issue(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    `subjectAltName=IP:127.0.0.1,IP:${KUBERNETES_SERVICE_IP},${serverNames.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n`,
  );
  // system:masters: the bootstrap superuser group. The components share it; this is a test
  // cluster, and RBAC is still enforced for every service account the manifests create.
  issue(dir, 'admin', '/O=system:masters/CN=ecodata-admin', 'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n');
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'service-account.key'], dir);
  openssl(['ec', '-in', 'service-account.key', '-pubout', '-out', 'service-account.pub'], dir);
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    caCert: file('ca.crt'),
    caKey: file('ca.key'),
    serverCert: file('apiserver.crt'),
    serverKey: file('apiserver.key'),
    adminCert: file('admin.crt'),
    adminKey: file('admin.key'),
    serviceAccountKey: file('service-account.key'),
    serviceAccountPub: file('service-account.pub'),
  };
}

/** A kubeconfig for the admin client certificate (embedded, so the file stands alone). */
export function kubeconfigYaml(pki: Pki, server: string): string {
  const b64 = (file: string) => fs.readFileSync(file).toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '  - name: ecodata-test',
    '    cluster:',
    `      server: ${server}`,
    `      certificate-authority-data: ${b64(pki.caCert)}`,
    'users:',
    '  - name: ecodata-admin',
    '    user:',
    `      client-certificate-data: ${b64(pki.adminCert)}`,
    `      client-key-data: ${b64(pki.adminKey)}`,
    'contexts:',
    '  - name: ecodata-test',
    '    context: { cluster: ecodata-test, user: ecodata-admin }',
    'current-context: ecodata-test',
    '',
  ].join('\n');
}
