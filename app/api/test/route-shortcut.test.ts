// The route shortcut (src/http/route-shortcut.ts) may change nothing a client, the metrics or
// the log can see. The same generated requests go to the API twice, with the shortcut and
// without it (plain @koa/router dispatch), one after the other against the same database, and
// everything that comes back is compared: status, headers, body, the route label of the
// duration histogram and the request's log line. What must differ (the ids and times of the two
// rows two creates make) is normalised first, and only that.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import pino from 'pino';
import request from 'supertest';
import { createApp, createRouter, hotRoutes } from '../src/app';
import { createDb, dbOptionsFromConfig, type Db } from '../src/db';
import { createMetrics, type Metrics } from '../src/metrics';
import { testConfig } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/database';
import { editorToken } from './support/oidc';
import { startPostgres, type PostgresServer } from './support/postgres';

interface Variant {
  readonly baseUrl: string;
  readonly metrics: Metrics;
  readonly logLines: Array<Record<string, unknown>>;
  readonly server: http.Server;
}

let postgres: PostgresServer;
let database: TestDatabase;
let db: Db;
let token: string;
let existingId: string;
let withShortcuts: Variant;
let withoutShortcuts: Variant;

async function variant(routeShortcuts: boolean): Promise<Variant> {
  const logLines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const config = testConfig(database.url);
  const metrics = createMetrics(undefined, { defaultMetrics: false });
  const app = createApp({ config, db, metrics, logger: pino({ level: 'debug' }, sink), routeShortcuts });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, metrics, logLines, server };
}

beforeAll(async () => {
  postgres = await startPostgres();
  database = await createTestDatabase(postgres.url);
  db = createDb(dbOptionsFromConfig(testConfig(database.url), pino({ level: 'silent' })));
  token = await editorToken();
  const inserted = await db.query<{ id: string }>({
    text: "INSERT INTO measurements (station, kind, value, unit, recorded_at) VALUES ('s', 'k', 1, 'u', '2024-01-01T00:00:00Z') RETURNING id",
  });
  existingId = inserted.rows[0].id;
  withShortcuts = await variant(true);
  withoutShortcuts = await variant(false);
});

afterAll(async () => {
  for (const each of [withShortcuts, withoutShortcuts]) await new Promise((resolve) => each.server.close(resolve));
  await db.close();
  await database.drop();
  await postgres.stop();
});

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly authorization: 'editor' | 'none' | 'malformed' | 'bad token';
  readonly contentType?: string;
  readonly body?: string;
  readonly ifNoneMatch?: string;
}

const idSegment = fc.oneof(
  fc.constantFrom('EXISTING', '0', '007', '999999', '99999999999999999999', '123456789012345678901', 'abc', '%31', 'export', 'import', '1.5', '-1', ''),
  fc.stringMatching(/^[0-9]{1,21}$/),
);
const path = fc.oneof(
  fc.constantFrom('/api/measurements', '/api/measurements/', '/API/measurements', '/api/Measurements', '/api/measurements?limit=2', '/api/measurements?limit=abc', '/api/measurements?order=asc', '/api/measurements?foo=1', '/api/stats', '/', '/nope'),
  fc.tuple(idSegment, fc.constantFrom('', '/', '?x=1', '/extra')).map(([id, rest]) => `/api/measurements/${id}${rest}`),
  idSegment.map((id) => `/API/MEASUREMENTS/${id}`),
);
const authorization = fc.constantFrom<Sent['authorization']>('editor', 'editor', 'editor', 'none', 'malformed', 'bad token');
const rest = fc.record(
  {
    authorization,
    contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'Application/JSON'),
    body: fc.oneof(
      fc.constant('{"station":"diff","kind":"temperature","value":1.5,"unit":"celsius"}'),
      fc.constant('{"station":"diff","kind":"temperature","value":"x"}'),
      fc.constant('{"station":'),
      fc.constant(''),
    ),
    ifNoneMatch: fc.constantFrom('"1"', '"2"', '*', 'garbage'),
  },
  { requiredKeys: ['authorization'] },
);
/** A request of `required`'s method and path, with the rest of its fields generated. */
const withRest = <T extends { method: string; path: string }>(required: fc.Arbitrary<T>): fc.Arbitrary<Sent> =>
  fc.tuple(required, rest).map(([head, tail]) => ({ ...tail, ...head }));
/** Any request: methods and path spellings the shortcut takes and many it does not. */
const anyRequest = withRest(fc.record({ method: fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'), path }));
/** Only requests the shortcut takes (hotRoutes in src/app.ts). */
const shortcutRequest = withRest(
  fc.oneof(
    fc.record({ method: fc.constantFrom('GET', 'HEAD', 'POST'), path: fc.constantFrom('/api/measurements', '/api/measurements?limit=2', '/api/measurements?limit=abc') }),
    fc.record({ method: fc.constantFrom('GET', 'HEAD'), path: fc.oneof(fc.constant('/api/measurements/EXISTING'), fc.stringMatching(/^[0-9]{1,20}$/).map((id) => `/api/measurements/${id}`)) }),
  ),
);

function takesShortcut(what: Sent): boolean {
  const path = what.path.replace('EXISTING', existingId).split('?')[0];
  return hotRoutes.some((route) => route.methods.includes(what.method) && route.pattern.test(path));
}

/** The same request to the API with and without the shortcut: everything seen must be equal. */
async function sameBothWays(what: Sent): Promise<void> {
  const requestId = `shortcut-${++requestCount}`;
  const without = comparable(await send(withoutShortcuts, what, requestId));
  const withIt = comparable(await send(withShortcuts, what, requestId));
  expect(withIt).toEqual(without);
  // Each request is observed and logged once.
  expect(without.routeLabels).toHaveLength(1);
  expect(without.logLine).toBeDefined();
}

interface Seen {
  readonly status: number;
  readonly headers: Record<string, unknown>;
  readonly body: unknown;
  readonly routeLabels: string[];
  readonly logLine: Record<string, unknown> | undefined;
}

let requestCount = 0;

async function send(target: Variant, what: Sent, requestId: string): Promise<Seen> {
  target.metrics.registry.resetMetrics();
  const agent = request(target.baseUrl);
  let test = agent[what.method.toLowerCase() as 'get'](what.path.replace('EXISTING', existingId))
    .set('X-Request-Id', requestId)
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    });
  if (what.authorization === 'editor') test = test.set('Authorization', `Bearer ${token}`);
  if (what.authorization === 'malformed') test = test.set('Authorization', 'Bearer');
  if (what.authorization === 'bad token') test = test.set('Authorization', 'Bearer abc.def.ghi');
  if (what.ifNoneMatch !== undefined) test = test.set('If-None-Match', what.ifNoneMatch);
  if (what.contentType !== undefined) test = test.set('Content-Type', what.contentType);
  if (what.body !== undefined && what.method !== 'GET' && what.method !== 'HEAD') test = test.send(what.body);
  const response = await test;
  const metric = await target.metrics.httpDuration.get();
  const routeLabels = metric.values
    .filter((v) => v.metricName === 'http_request_duration_seconds_count' && v.value > 0)
    .map((v) => `${v.labels.method} ${v.labels.status} ${v.labels.route}`);
  // A HEAD response has no body to parse: superagent leaves an empty object.
  const text = typeof response.body === 'string' ? response.body : '';
  return {
    status: response.status,
    headers: { ...response.headers },
    body: text && /json/.test(String(response.headers['content-type'])) ? JSON.parse(text) : text,
    routeLabels,
    logLine: target.logLines.find((line) => line.requestId === requestId),
  };
}

/** Drops what two identical requests answer differently by nature: times, and a new row's id. */
function comparable(seen: Seen): Seen {
  const headers = { ...seen.headers };
  delete headers.date;
  const created = seen.status === 201;
  if (created) {
    // Two creates make two rows: their ids (and so the Location and the length) differ.
    headers.location = String(headers.location).replace(/\d+$/, '<id>');
    delete headers['content-length'];
  }
  const body = created && typeof seen.body === 'object' && seen.body !== null ? { ...seen.body, id: '<id>', createdAt: '<t>', updatedAt: '<t>', recordedAt: '<t>' } : seen.body;
  const logLine = seen.logLine && { ...seen.logLine, time: '<t>', ms: '<ms>', ...(created ? { measurementId: '<id>' } : {}) };
  return { ...seen, headers, body, logLine };
}

describe('the route shortcut', () => {
  it('answers the requests it takes as @koa/router does, with the same metric label and log line', async () => {
    await fc.assert(
      fc.asyncProperty(shortcutRequest, async (what) => {
        // The generator must only make requests that take the shortcut, or this compares nothing.
        expect(takesShortcut(what)).toBe(true);
        await sameBothWays(what);
      }),
      { numRuns: 250 },
    );
  });

  it('changes nothing for any other request', async () => {
    await fc.assert(fc.asyncProperty(anyRequest, sameBothWays), { numRuns: 250 });
  });

  it('takes only paths the router serves with the same single route layer as its example', () => {
    const router = createRouter({ config: testConfig(database.url), db });
    fc.assert(
      fc.property(fc.constantFrom(...hotRoutes), fc.stringMatching(/^[0-9]{1,20}$/), (route, id) => {
        const path = route.example.replace(/1$/, id);
        fc.pre(route.pattern.test(path));
        // Layers by their place in the router's stack: the same layers, not look-alikes.
        const places = (layers: readonly unknown[]) => layers.map((layer) => router.stack.indexOf(layer as (typeof router.stack)[number]));
        for (const method of route.methods) {
          const expected = router.match(route.example, method);
          const actual = router.match(path, method);
          expect(places(actual.pathAndMethod)).toEqual(places(expected.pathAndMethod));
          expect(places(actual.path)).toEqual(places(expected.path));
        }
      }),
    );
  });
});
