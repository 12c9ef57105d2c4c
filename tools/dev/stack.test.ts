// `npm run dev` as a developer runs it (on its own PostgreSQL database here, through
// DATABASE_URL): the stack comes up with the local OpenID provider, prints how to sign in,
// `npm run seed` imports as the machine client, the local viewer signs in through the
// provider's login form and reads without write controls, and Ctrl-C stops everything.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, freePort, startPostgres, type PostgresServer, type TestDatabase } from '../../app/api/test/support';
import { FormClient } from '../containers/src/front-crud';

const root = path.resolve(__dirname, '..', '..');
let postgres: PostgresServer;
let database: TestDatabase;
let stack: ChildProcess;
let output = '';
const ports: Record<string, number> = {};

beforeAll(async () => {
  postgres = await startPostgres();
  database = await createTestDatabase(postgres.url);
  for (const name of ['FRONT_PORT', 'API_PORT', 'DEV_OIDC_PORT', 'FRONT_MANAGEMENT_PORT', 'API_MANAGEMENT_PORT']) ports[name] = await freePort();
  stack = spawn(process.execPath, [path.join(root, 'tools/run-ts.cjs'), 'tools/dev/stack.ts'], {
    cwd: root,
    env: { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])), DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stack.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  stack.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  for (const started = Date.now(); !output.includes('Ctrl-C stops everything'); ) {
    if (stack.exitCode !== null) throw new Error(`npm run dev exited (${stack.exitCode}):\n${output}`);
    if (Date.now() - started > 90_000) throw new Error(`npm run dev did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}, 120_000);

afterAll(async () => {
  if (stack && stack.exitCode === null) {
    const exited = new Promise((resolve) => stack.once('exit', resolve));
    stack.kill('SIGINT');
    await exited;
  }
  await database?.drop();
  await postgres?.stop();
});

test('prints the front, the local provider and a login for each role', () => {
  expect(output).toContain(`EcoData is running at http://localhost:${ports.FRONT_PORT}`);
  expect(output).toContain(`LOCAL OpenID provider (http://127.0.0.1:${ports.DEV_OIDC_PORT}, for development only)`);
  expect(output).toMatch(/editor\s+password editor-local-only\s+role editor/);
  expect(output).toMatch(/viewer\s+password viewer-local-only\s+role viewer/);
  expect(output).toMatch(/outsider\s+password outsider-local-only\s+no role/);
});

test('npm run seed imports as the machine client; the viewer signs in and reads without the add link the editor gets', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(root, 'tools/run-ts.cjs'), 'tools/dev/seed.ts'], {
    cwd: root,
    env: { ...process.env, API_PORT: String(ports.API_PORT), DEV_OIDC_PORT: String(ports.DEV_OIDC_PORT) },
  });
  expect(stdout).toMatch(/imported 864 demo measurements/);

  const anonymous = await fetch(`http://localhost:${ports.FRONT_PORT}/measurements`, { redirect: 'manual' });
  expect(anonymous.status).toBeGreaterThanOrEqual(300);
  expect(anonymous.status).toBeLessThan(400);

  const viewer = new FormClient(`http://localhost:${ports.FRONT_PORT}`);
  await viewer.signIn('viewer');
  const page = await viewer.get('/measurements');
  expect(page.status).toBe(200);
  expect(page.body).toContain('Vera Viewer (local)');
  expect(page.body).not.toContain('/measurements/new');

  const editor = new FormClient(`http://localhost:${ports.FRONT_PORT}`);
  await editor.signIn('editor');
  expect((await editor.get('/measurements')).body).toContain('/measurements/new');
});

test('Ctrl-C stops the front, the API, the provider and nothing is left listening', async () => {
  const exited = new Promise<number | null>((resolve) => stack.once('exit', resolve));
  stack.kill('SIGINT');
  expect(await exited).toBe(0);
  for (const port of Object.values(ports)) {
    await expect(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  }
});
