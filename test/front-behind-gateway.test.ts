// The front as the committed manifests run it, behind the gateway: the built front process
// started with exactly the literal environment of dist/<env>/deployment-front.yaml (only what
// a cluster would supply differently is replaced: the issuer, client, audience, scope and role
// mapping of the local OpenID provider standing in for the company's, the ports, the Secret
// values), then asked the
// way Envoy forwards a browser's HTTPS request (X-Forwarded-Proto: https). Its cookies must be
// Secure and HSTS sent; a plain-HTTP request must get neither; and with TRUST_PROXY off (the
// local setting) a forged X-Forwarded-Proto must not be believed.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../app/api/test/support/postgres';
import { type LocalOidcProvider, startLocalOidcProvider } from '../tools/oidc/local-provider';
import { frontSecretValues, frontSignInEnv } from '../tools/oidc/local-sign-in-env';
import { byKind, environmentFolders, loadManifests, repoRoot } from './support/dist';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildFront } = require('../app/front/scripts/build.js') as { buildFront(options: { outdir: string }): Promise<string> };

const manifests = loadManifests();
interface EnvVar { name: string; value?: string }
const literalEnv = (env: string): Record<string, string> => {
  const deployment = byKind(manifests, env, 'Deployment').find((d) => d.metadata.name === 'front')!;
  const vars = deployment.spec.template.spec.containers[0].env as EnvVar[];
  return Object.fromEntries(vars.filter((v) => v.value !== undefined).map((v) => [v.name, v.value!]));
};

let buildDir: string;
let provider: LocalOidcProvider;
const fronts: ChildProcess[] = [];

beforeAll(async () => {
  // The bundle finds its static files in ../public, as in the image (app/front/Dockerfile).
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-front-build-'));
  fs.symlinkSync(path.join(repoRoot, 'app/front/public'), path.join(root, 'public'));
  buildDir = await buildFront({ outdir: path.join(root, 'build') });
  provider = await startLocalOidcProvider({
    frontRedirectUris: environmentFolders().map((env) => `${literalEnv(env).PUBLIC_URL}/auth/callback`),
  });
}, 120_000);

afterAll(async () => {
  for (const front of fronts) front.kill('SIGTERM');
  await provider?.stop();
  if (buildDir) fs.rmSync(path.dirname(buildDir), { recursive: true, force: true });
});

/** Starts the built front with `env`'s synthesized environment; resolves with its port once ready. */
async function startFront(env: string, overrides: Record<string, string> = {}): Promise<number> {
  const [port, managementPort] = [await freePort(), await freePort()];
  const front = spawn(process.execPath, [path.join(buildDir, 'server.js')], {
    env: {
      PATH: process.env.PATH,
      ...literalEnv(env),
      // What the cluster supplies differently: the identity provider (here the local one; the
      // synthesized PUBLIC_URL stays: the redirect URI is built from it)...
      ...frontSignInEnv(provider.issuer, literalEnv(env).PUBLIC_URL, literalEnv(env).OIDC_SCOPES),
      // ...the Secret front-oidc...
      ...frontSecretValues(),
      // ...and free ports on this machine (no API is needed before sign-in).
      API_URL: 'http://127.0.0.1:9',
      API_MANAGEMENT_URL: 'http://127.0.0.1:9',
      PORT: String(port),
      MANAGEMENT_PORT: String(managementPort),
      LOG_LEVEL: 'warn',
      ...overrides,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  fronts.push(front);
  let stderr = '';
  front.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  for (const started = Date.now(); Date.now() - started < 20_000; ) {
    if (front.exitCode !== null) throw new Error(`the front exited (${front.exitCode}): ${stderr}`);
    try {
      if ((await fetch(`http://127.0.0.1:${managementPort}/healthz`)).ok) return port;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the front did not start: ${stderr}`);
}

const signInThroughGateway = (port: number, host: string, headers: Record<string, string>) =>
  fetch(`http://127.0.0.1:${port}/auth/sign-in`, { redirect: 'manual', headers: { host, 'x-forwarded-for': '203.0.113.7', ...headers } });

describe.each(environmentFolders())('%s front behind the gateway', (env) => {
  const host = new URL(literalEnv(env).PUBLIC_URL).host;
  let port: number;
  beforeAll(async () => {
    port = await startFront(env);
  }, 30_000);

  test('an HTTPS request forwarded by the gateway gets Secure cookies and HSTS', async () => {
    const response = await signInThroughGateway(port, host, { 'x-forwarded-proto': 'https' });
    expect(response.status).toBeGreaterThanOrEqual(300);
    expect(response.headers.get('location')).toMatch(new RegExp(`^${provider.issuer}/`));
    const cookies = response.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie.toLowerCase().split(/;\s*/)).toEqual(expect.arrayContaining(['secure', 'httponly']));
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d{7,}/);
  });

  test('a plain-HTTP request (nothing forwarded) gets neither', async () => {
    const response = await signInThroughGateway(port, host, {});
    const cookies = response.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie.toLowerCase().split(/;\s*/)).not.toContain('secure');
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });
});

test('with TRUST_PROXY off (the local setting), a forged X-Forwarded-Proto is not believed', async () => {
  const port = await startFront('dev', { TRUST_PROXY: 'false' });
  const response = await signInThroughGateway(port, 'dev.ecodata.example.com', { 'x-forwarded-proto': 'https' });
  const cookies = response.headers.getSetCookie();
  expect(cookies.length).toBeGreaterThan(0);
  for (const cookie of cookies) expect(cookie.toLowerCase().split(/;\s*/)).not.toContain('secure');
  expect(response.headers.get('strict-transport-security')).toBeNull();
});
