// SIGTERM under load against the real server process: every request the server answered
// 201 is in the database, the process exits 0 before its deadline (both ports closed).
import { spawn } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { apiSignInEnv } from '../../../tools/oidc/local-sign-in-env';
import { buildCommands, commandEnv } from './support/build';
import { editorToken, testIssuer } from './support/oidc';
import { createTestDatabase, type TestDatabase } from './support/database';
import { freePort, startPostgres, type PostgresServer } from './support/postgres';

let server: PostgresServer;
let database: TestDatabase;
beforeAll(async () => {
  server = await startPostgres();
  database = await createTestDatabase(server.url);
});
afterAll(async () => {
  await database.drop();
  await server.stop();
});

function post(agent: http.Agent, port: number, token: string, body: object): Promise<{ status: number; id?: string }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const req = http.request({ host: '127.0.0.1', port, path: '/api/measurements', method: 'POST', agent, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, id: res.statusCode === 201 ? JSON.parse(text).id : undefined }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

async function waitReady(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ok = await new Promise<boolean>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/readyz' }, (res) => resolve(res.statusCode === 200)).on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server never became ready');
}

describe('graceful shutdown', () => {
  it('loses no acknowledged request when SIGTERM arrives under load, and exits 0', async () => {
    const dir = await buildCommands();
    const port = await freePort();
    const managementPort = await freePort();
    const token = await editorToken();
    const child = spawn(process.execPath, [path.join(dir, 'server.js')], {
      env: commandEnv({
        DATABASE_URL: database.url,
        PORT: String(port),
        MANAGEMENT_PORT: String(managementPort),
        ...apiSignInEnv(testIssuer()),
        SHUTDOWN_TIMEOUT_MS: '8000',
        LOG_LEVEL: 'warn',
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await waitReady(managementPort);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const acknowledged: string[] = [];
    let signalled = false;
    let answeredAfterSignal = 0;
    const worker = async (n: number) => {
      for (let i = 0; ; i++) {
        try {
          const { status, id } = await post(agent, port, token, { station: `w${n}`, kind: 'k', value: i });
          if (status === 201 && id) acknowledged.push(id);
          if (signalled) answeredAfterSignal++;
          if (status !== 201) throw new Error(`unexpected ${status}`);
        } catch (error) {
          // After SIGTERM, refused/reset connections are expected: nothing was acknowledged.
          if (signalled) return;
          throw error;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, (_, n) => worker(n)));
    await new Promise((resolve) => setTimeout(resolve, 400));
    signalled = true;
    child.kill('SIGTERM');
    const started = Date.now();
    await load;
    const code = await exited;
    agent.destroy();

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(answeredAfterSignal).toBeGreaterThan(0);
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>('SELECT id FROM measurements WHERE id = ANY($1::bigint[])', [acknowledged]);
      expect(rows).toHaveLength(acknowledged.length);
    } finally {
      await client.end();
    }
  });

  it('refuses to start with a clear message when the configuration is invalid', async () => {
    const dir = await buildCommands();
    const child = spawn(process.execPath, [path.join(dir, 'server.js')], { env: { PATH: process.env.PATH, PORT: 'eighty' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('DATABASE_URL is required');
    expect(stderr).toContain('PORT must be a whole number');
    expect(stderr).toContain('OIDC_ISSUER is required');
  });
});
