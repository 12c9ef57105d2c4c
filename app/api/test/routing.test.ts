// Pins how requests are routed: status, Allow, problem code, the route label of the duration
// histogram and the access log line, for matched routes, unknown paths, wrong methods,
// OPTIONS and methods no route implements. Written against the three-router composition and
// kept unchanged when app.ts moved to one router, so the change is proven not to alter them.
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import { withToken } from './support/per-file';
import { editorToken } from './support/oidc';
import { createApp } from '../src/app';
import { createDb, dbOptionsFromConfig, type Db } from '../src/db';
import { createMetrics, type Metrics } from '../src/metrics';
import { testConfig } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startPostgres, type PostgresServer } from './support/postgres';

let server: PostgresServer;
let database: TestDatabase;
let db: Db;
let metrics: Metrics;
let callback: ReturnType<ReturnType<typeof createApp>['callback']>;
let token: string;
const logLines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  server = await startPostgres();
  token = await editorToken();
  database = await createTestDatabase(server.url);
  const config = testConfig(database.url);
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  db = createDb(dbOptionsFromConfig(config, logger));
  metrics = createMetrics(undefined, { defaultMetrics: false });
  callback = createApp({ config, db, metrics, logger }).callback();
  await db.query({
    text: "INSERT INTO measurements (station, kind, value, unit, recorded_at) VALUES ('s', 'k', 1, 'u', '2024-01-01T00:00:00Z')",
  });
});

afterAll(async () => {
  await db.close();
  await database.drop();
  await server.stop();
});

async function routeLabel(method: string, status: number): Promise<string[]> {
  const metric = await metrics.httpDuration.get();
  return metric.values
    .filter((v) => v.metricName === 'http_request_duration_seconds_count' && v.labels.method === method && v.labels.status === String(status) && v.value > 0)
    .map((v) => String(v.labels.route));
}

interface Case {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly allow?: string;
  readonly code?: string;
  readonly route: string;
  readonly log?: { readonly level: number; readonly msg: string };
}

// level 20 = debug ("request completed"), 30 = info ("request rejected").
const cases: Case[] = [
  { method: 'GET', path: '/api/measurements/1', status: 200, route: '/api/measurements/:id', log: { level: 20, msg: 'request completed' } },
  { method: 'GET', path: '/api/measurements', status: 200, route: '/api/measurements', log: { level: 20, msg: 'request completed' } },
  { method: 'GET', path: '/api/measurements/', status: 200, route: '/api/measurements' },
  { method: 'GET', path: '/API/Measurements', status: 200, route: '/api/measurements' },
  { method: 'GET', path: '/api/measurements/999', status: 404, code: 'not_found', route: '/api/measurements/:id', log: { level: 30, msg: 'request rejected' } },
  { method: 'GET', path: '/api/stats', status: 200, route: '/api/stats' },
  // Probes and metrics live on the management port (management.test.ts): 404 here, saying so.
  { method: 'GET', path: '/healthz', status: 404, code: 'not_found', route: 'unmatched' },
  { method: 'GET', path: '/metrics', status: 404, code: 'not_found', route: 'unmatched' },
  { method: 'HEAD', path: '/readyz', status: 404, route: 'unmatched' },
  { method: 'GET', path: '/nope', status: 404, code: 'not_found', route: 'unmatched', log: { level: 30, msg: 'request rejected' } },
  { method: 'GET', path: '/api/measurements/1/extra', status: 404, code: 'not_found', route: 'unmatched' },
  { method: 'PATCH', path: '/api/measurements/1', status: 405, allow: 'HEAD, GET, PUT, DELETE', code: 'method_not_allowed', route: 'unmatched', log: { level: 30, msg: 'request rejected' } },
  { method: 'DELETE', path: '/api/measurements', status: 405, allow: 'HEAD, GET, POST', code: 'method_not_allowed', route: 'unmatched' },
  // /import is POST only: GET there is 405 with its Allow (the /:id route answers it, not as a
  // bad id, so the metric label stays that route's); /export is GET.
  { method: 'GET', path: '/api/measurements/import', status: 405, allow: 'POST', code: 'method_not_allowed', route: '/api/measurements/:id' },
  { method: 'GET', path: '/api/measurements/export', status: 200, route: '/api/measurements/export' },
  { method: 'POST', path: '/healthz', status: 404, code: 'not_found', route: 'unmatched' },
  { method: 'POST', path: '/api/stats', status: 405, allow: 'HEAD, GET', code: 'method_not_allowed', route: 'unmatched' },
  { method: 'OPTIONS', path: '/api/measurements/1', status: 200, allow: 'HEAD, GET, PUT, DELETE', route: 'unmatched' },
  { method: 'OPTIONS', path: '/nope', status: 404, code: 'not_found', route: 'unmatched' },
];

describe('routing', () => {
  it.each(cases)('answers $method $path with $status', async ({ method, path, status, allow, code, route, log }) => {
    logLines.length = 0;
    metrics.registry.resetMetrics();
    const response = await withToken(callback, token)[method.toLowerCase() as 'get'](path).set('X-Request-Id', 'routing-test');
    expect(response.status).toBe(status);
    expect(response.headers.allow).toBe(allow);
    if (method !== 'HEAD') expect(response.body?.code).toBe(code);
    expect(await routeLabel(method, status)).toEqual([route]);
    const line = logLines.find((l) => l.requestId === 'routing-test');
    expect(line).toMatchObject({ method, url: path, status });
    if (log) expect(line).toMatchObject(log);
  });

  it('answers a method no route implements, on a path that exists, with 405 and the Allow of that path (RFC 9110 15.5.6)', async () => {
    const response = await request(callback).propfind('/api/measurements').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('HEAD, GET, POST');
    expect(response.body.code).toBe('method_not_allowed');
    expect(await routeLabel('PROPFIND', 405)).toEqual(['unmatched']);
  });
});
