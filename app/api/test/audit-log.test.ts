// Every write is logged exactly once, at info, naming the token's subject; no log line of any
// request, accepted or refused, ever contains the token.
import { Writable } from 'node:stream';
import pino from 'pino';
import { createApp } from '../src/app';
import { createDb, dbOptionsFromConfig, type Db } from '../src/db';
import { createMetrics } from '../src/metrics';
import { testConfig } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/database';
import { machineToken, userToken } from './support/oidc';
import { withToken } from './support/per-file';
import { startPostgres, type PostgresServer } from './support/postgres';

let server: PostgresServer;
let database: TestDatabase;
let db: Db;
let callback: ReturnType<ReturnType<typeof createApp>['callback']>;
const lines: string[] = [];

beforeAll(async () => {
  server = await startPostgres();
  database = await createTestDatabase(server.url);
  const config = testConfig(database.url);
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  // debug: the most this service ever logs per request.
  const logger = pino({ level: 'debug' }, sink);
  db = createDb(dbOptionsFromConfig(config, logger));
  callback = createApp({ config, db, metrics: createMetrics(undefined, { defaultMetrics: false }), logger }).callback();
});

afterAll(async () => {
  await db.close();
  await database.drop();
  await server.stop();
});

const sample = { station: 's', kind: 'k', value: 1 };
const written = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'measurement written');

describe('the audit log', () => {
  it('logs each write once with sub and what it did, and never a token', async () => {
    const editor = userToken('editor');
    const machine = await machineToken('station-uploader');
    const viewer = userToken('viewer');
    const as = (token: string) => withToken(callback, token);

    const created = (await as(editor).post('/api/measurements').set('X-Request-Id', 'audit-create').send(sample).expect(201)).body;
    await as(machine).put(`/api/measurements/${created.id}`).set('X-Request-Id', 'audit-update').set('If-Match', '"1"').send({ ...sample, value: 2 }).expect(200);
    await as(machine).post('/api/measurements/import').set('X-Request-Id', 'audit-import').set('Content-Type', 'text/csv').send('station,kind,value,unit,recordedAt\na,k,1,,\nb,k,2,,\n').expect(201);
    await as(editor).delete(`/api/measurements/${created.id}`).set('X-Request-Id', 'audit-delete').set('If-Match', '"2"').expect(204);
    // Refused and failed requests: logged (as rejected), never as written.
    await as(viewer).post('/api/measurements').send(sample).expect(403);
    await as(editor).put(`/api/measurements/${created.id}`).set('If-Match', '"1"').send(sample).expect(404);
    await as(`${editor.slice(0, -4)}AAAA`).get('/api/measurements').expect(401);
    await as(machine).get('/api/measurements').expect(200);

    expect(written().map(({ requestId, sub, action, measurementId, version, imported, level }) => ({ requestId, sub, action, measurementId, version, imported, level }))).toEqual([
      { requestId: 'audit-create', sub: 'editor', action: 'create', measurementId: created.id, version: undefined, imported: undefined, level: 30 },
      { requestId: 'audit-update', sub: 'station-uploader', action: 'update', measurementId: created.id, version: 2, imported: undefined, level: 30 },
      { requestId: 'audit-import', sub: 'station-uploader', action: 'import', measurementId: undefined, version: undefined, imported: 2, level: 30 },
      { requestId: 'audit-delete', sub: 'editor', action: 'delete', measurementId: created.id, version: undefined, imported: undefined, level: 30 },
    ]);
    const everything = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(8);
    for (const token of [editor, machine, viewer]) {
      // Not the whole token, nor its signature, nor its payload.
      for (const piece of [token, ...token.split('.')]) expect(everything).not.toContain(piece);
    }
    expect(everything).not.toMatch(/Bearer /i);
  });
});
