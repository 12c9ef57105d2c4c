// The bundled server (build/server.js, as in the image) as a real process: the pages on PORT,
// health and metrics only on MANAGEMENT_PORT, sign-in against the local provider, and SIGTERM
// closing both ports before exiting 0.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LocalOidcProvider, startLocalOidcProvider } from '../../../tools/oidc/local-provider';
import { LOCAL_API_AUDIENCE, LOCAL_FRONT_CLIENT } from '../../../tools/oidc/local-identities';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script is CommonJS
const { buildFront } = require('../scripts/build.js') as { buildFront(options: { outdir: string }): Promise<string> };

let root: string;
let outdir: string;
let provider: LocalOidcProvider;

beforeAll(async () => {
  // The image's layout: build/server.js next to public/.
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-front-image-'));
  outdir = path.join(root, 'build');
  fs.cpSync(path.resolve(__dirname, '..', 'public'), path.join(root, 'public'), { recursive: true });
  [provider] = await Promise.all([startLocalOidcProvider(), buildFront({ outdir })]);
  (await import('esbuild')).stop();
}, 60_000);

let running: ChildProcess | undefined;
afterEach(() => {
  if (running?.exitCode === null) running.kill('SIGKILL');
});

afterAll(async () => {
  await provider?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    API_URL: 'http://127.0.0.1:9',
    PUBLIC_URL: 'http://127.0.0.1:8999',
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: LOCAL_FRONT_CLIENT.clientId,
    OIDC_CLIENT_SECRET: LOCAL_FRONT_CLIENT.clientSecret,
    OIDC_API_AUDIENCE: LOCAL_API_AUDIENCE,
    OIDC_ROLE_MAPPING: '{"ecodata-editors":"editor"}',
    SESSION_SECRET: 'server-test-session-secret-0123456789abcdef',
    PORT: '0',
    MANAGEMENT_PORT: '0',
    ...extra,
  };
}

/** Starts the bundle; resolves with its two ports from the "listening" log line. */
async function startServer(): Promise<{ child: ChildProcess; port: number; managementPort: number; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [path.join(outdir, 'server.js')], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ports = await new Promise<{ port: number; managementPort: number }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        if (line.includes('"msg":"listening"')) resolve(JSON.parse(line) as { port: number; managementPort: number });
      }
    });
    void exited.then((code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
  return { child, ...ports, exited };
}

describe('the front server process', () => {
  it('serves pages on PORT, health and metrics only on MANAGEMENT_PORT, and closes both on SIGTERM', async () => {
    const { child, port, managementPort, exited } = await startServer();
    running = child;
    const main = `http://127.0.0.1:${port}`;
    const management = `http://127.0.0.1:${managementPort}`;
    expect(port).not.toBe(managementPort);
    for (const p of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${main}${p}`, { redirect: 'manual' })).status).toBe(404);
    expect((await fetch(`${management}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${management}/readyz`)).json()).toEqual({ status: 'api_unreachable' });
    expect(await (await fetch(`${management}/metrics`)).text()).toContain('front_http_request_duration_seconds');
    const signIn = await fetch(`${main}/auth/sign-in`, { redirect: 'manual' });
    expect(signIn.status).toBe(302);
    expect(new URL(signIn.headers.get('location')!).origin).toBe(provider.issuer);

    child.kill('SIGTERM');
    await expect(exited).resolves.toBe(0);
    await expect(fetch(`${main}/measurements`)).rejects.toThrow();
    await expect(fetch(`${management}/healthz`)).rejects.toThrow();
  });

  it('refuses to start without its identity settings, naming them (exit 2)', async () => {
    const child = spawn(process.execPath, [path.join(outdir, 'server.js')], { env: { PATH: process.env.PATH, API_URL: 'http://api:8080' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('OIDC_ISSUER:');
    expect(stderr).toContain('SESSION_SECRET:');
  });
});
