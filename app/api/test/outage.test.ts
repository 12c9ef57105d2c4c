import request from 'supertest';
import { createTestApp, type TestApp } from './support/app';
import { editorToken } from './support/oidc';
import { withToken } from './support/per-file';
import { createTestDatabase, databaseUrl, type TestDatabase } from './support/database';
import { startPostgres, type PostgresServer } from './support/postgres';
import { startBlackHole, startTcpProxy, type TcpProxy } from './support/tcp-proxy';

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
  api = createTestApp(viaProxy.toString(), { pgConnectTimeoutMs: 500 });
});

afterAll(async () => {
  await api.close();
  await proxy.close();
  await database.drop();
  await server.stop();
});

async function timed(path: string) {
  const started = Date.now();
  const response = await withToken(api.callback, token).get(path);
  return { response, ms: Date.now() - started };
}

async function timedManagement(path: string) {
  const started = Date.now();
  const response = await request(api.managementCallback).get(path);
  return { response, ms: Date.now() - started };
}

describe('a database outage', () => {
  it('answers 503 fast while the database is gone and recovers by itself when it returns', async () => {
    await withToken(api.callback, token).get('/api/measurements').expect(200);
    await request(api.managementCallback).get('/readyz').expect(200);

    await proxy.cut();
    const during = await timed('/api/measurements');
    expect(during.response.status).toBe(503);
    expect(during.response.body.code).toBe('database_unavailable');
    expect(during.response.headers['retry-after']).toBe('1');
    expect(during.ms).toBeLessThan(2000);
    expect((await timedManagement('/readyz')).response.status).toBe(503);
    await request(api.managementCallback).get('/healthz').expect(200);
    await withToken(api.callback, token).post('/api/measurements').send({ station: 's', kind: 'k', value: 1 }).expect(503);

    await proxy.restore();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await withToken(api.callback, token).get('/api/measurements')).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    await request(api.managementCallback).get('/readyz').expect(200);
  });

  it('answers a CSV import with 503 while the database is gone, and a bad file with its errors first', async () => {
    const importCsv = (csv: string) => withToken(api.callback, token).post('/api/measurements/import').set('Content-Type', 'text/csv').send(csv);
    const header = 'station,kind,value,unit,recordedAt';
    await proxy.cut();
    try {
      const down = await importCsv(`${header}\na,t,1,c,\n`);
      expect(down.status).toBe(503);
      expect(down.body.code).toBe('database_unavailable');
      // As when the body was read before the database was asked: the file's errors come first.
      const bad = await importCsv(`${header}\na,t,1,c,\nb,t,x,c,\n`);
      expect(bad.status).toBe(422);
      expect(bad.body.errors).toEqual([{ line: 3, field: 'value', message: 'must be a decimal number' }]);
    } finally {
      await proxy.restore();
    }
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 201; attempt++) {
      status = (await importCsv(`${header}\na,t,1,c,\n`)).status;
      if (status !== 201) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(201);
  });

  it('answers 503 within the connect timeout when the database accepts but never answers', async () => {
    const hole = await startBlackHole();
    const hung = createTestApp(databaseUrl(`postgres://postgres@127.0.0.1:${hole.port}/x`, 'x'), { pgConnectTimeoutMs: 300 });
    try {
      const started = Date.now();
      const response = await withToken(hung.callback, token).get('/api/measurements/1');
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('database_unavailable');
      expect(Date.now() - started).toBeLessThan(1500);
    } finally {
      await hung.close().catch(() => undefined);
      await hole.close();
    }
  });

  it('answers 503 at once when nothing listens on the database port', async () => {
    const hole = await startBlackHole();
    const port = hole.port;
    await hole.close();
    const dead = createTestApp(`postgres://postgres@127.0.0.1:${port}/x`);
    try {
      const response = await withToken(dead.callback, token).get('/api/stats');
      expect(response.status).toBe(503);
    } finally {
      await dead.close();
    }
  });
});
