import { createTestApp, type TestApp } from './support/app';
import { editorToken } from './support/oidc';
import { withToken } from './support/per-file';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startPostgres, type PostgresServer } from './support/postgres';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

// statement_timeout 200 ms, so the client-side deadline (statement timeout + 1 s) is 1.2 s.
const statementTimeoutMs = 200;
const deadlineMs = statementTimeoutMs + 1000;

let server: PostgresServer;
let database: TestDatabase;
let proxy: TcpProxy;
let api: TestApp;
let token: string;

beforeAll(async () => {
  token = await editorToken();
  server = await startPostgres();
  database = await createTestDatabase(server.url);
  const real = new URL(database.url);
  proxy = await startTcpProxy({ host: real.hostname, port: Number(real.port) });
  const viaProxy = new URL(database.url);
  viaProxy.port = String(proxy.port);
  api = createTestApp(viaProxy.toString(), { pgStatementTimeoutMs: statementTimeoutMs, pgConnectTimeoutMs: 500 });
});

afterEach(() => proxy.thaw());

afterAll(async () => {
  await api.close();
  await proxy.close();
  await database.drop();
  await server.stop();
});

describe('the client-side query deadline', () => {
  it('answers 503 once the deadline passes when the database stops answering mid-query', async () => {
    await withToken(api.callback, token).get('/api/measurements').expect(200);
    proxy.freeze();
    const started = Date.now();
    const response = await withToken(api.callback, token).get('/api/measurements');
    const ms = Date.now() - started;
    expect(response.status).toBe(503);
    expect(response.body.code).toBe('database_unavailable');
    expect(response.headers['retry-after']).toBe('1');
    expect(ms).toBeGreaterThanOrEqual(deadlineMs - 50);
    expect(ms).toBeLessThan(deadlineMs + 1500);
  });

  it('discards the connection whose query missed the deadline instead of reusing it', async () => {
    await withToken(api.callback, token).get('/api/measurements').expect(200);
    const before = api.db.pool.totalCount;
    proxy.freeze();
    await withToken(api.callback, token).get('/api/measurements').expect(503);
    expect(api.db.pool.totalCount).toBe(before - 1);
    proxy.thaw();
    // The answer held back during the freeze arrives now; no request may receive it.
    const page = await withToken(api.callback, token).get('/api/measurements').expect(200);
    expect(page.body).toEqual({ items: [], nextCursor: null });
  });

  it('applies to queries inside a transaction, which then rolls back', async () => {
    // An idle pooled connection, so the transaction starts on an open one (not a connect timeout).
    await api.db.query({ text: 'SELECT 1' });
    proxy.freeze();
    const started = Date.now();
    const attempt = api.db.withTransaction((client) => client.query("SELECT 'inside'"));
    await expect(attempt).rejects.toMatchObject({ status: 503, code: 'database_unavailable' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(deadlineMs - 50);
    proxy.thaw();
    const { rows } = await api.db.query<{ n: number }>({ text: 'SELECT 1 AS n' });
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('leaves the statement timeout to the server when the server does answer', async () => {
    const started = Date.now();
    await expect(api.db.query({ text: 'SELECT pg_sleep(2)' })).rejects.toMatchObject({ status: 503, code: 'database_unavailable' });
    expect(Date.now() - started).toBeLessThan(deadlineMs);
    expect((await api.db.query<{ n: number }>({ text: 'SELECT 1 AS n' })).rows).toEqual([{ n: 1 }]);
  });
});
