import fs from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import request from 'supertest';
import { latestMigration } from '../src/system/schema-version';
import { migrationsDir } from './support/build';
import { createTestApp } from './support/app';
import { createEmptyDatabase } from './support/database';
import { useTestApp } from './support/per-file';

const context = useTestApp();
const http = () => context().http();
const management = () => context().management();

describe('operational endpoints', () => {
  it('describes the service on /, without a token', async () => {
    expect((await context().as(undefined).get('/').expect(200)).body).toEqual({ name: 'ecodata-api', version: 'test', environment: 'test' });
  });

  it('answers liveness on /healthz of the management port, without a token', async () => {
    await management().get('/healthz').expect(200);
  });

  it('is ready when the database is reachable and migrated', async () => {
    await management().get('/readyz').expect(200, { status: 'ready' });
  });

  it('serves no probe or metrics on the application port, with or without a token', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      for (const client of [http(), context().as(undefined)]) {
        const response = await client.get(path).expect(404);
        expect(response.body.detail).toBe(`${path} is served on the management port (MANAGEMENT_PORT), not here.`);
      }
    }
  });

  it('is not ready while shutting down', async () => {
    context().api.lifecycle.shuttingDown = true;
    try {
      const response = await management().get('/readyz').expect(503);
      expect(response.body.code).toBe('service_unavailable');
    } finally {
      context().api.lifecycle.shuttingDown = false;
    }
  });

  it('is not ready on a database without migrations', async () => {
    const empty = await createEmptyDatabase(context().server.url);
    const unmigrated = createTestApp(empty.url);
    try {
      const response = await request(unmigrated.managementCallback).get('/readyz').expect(503);
      expect(response.body.detail).toContain(latestMigration);
    } finally {
      await unmigrated.close();
      await empty.drop();
    }
  });

  it('expects the newest migration file in migrations/', () => {
    const files = fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort();
    expect(files[files.length - 1]).toBe(`${latestMigration}.sql`);
  });

  it('exposes request durations by route template and pool gauges on /metrics', async () => {
    await http().get('/api/measurements/123').expect(404);
    await http().get('/api/measurements').expect(200);
    await management().get('/healthz').expect(200);
    const text = (await management().get('/metrics').expect(200)).text;
    // Both ports observe into the one histogram the ServiceMonitor scrapes.
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} [1-9]/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/measurements\/:id",status="404"\} 1/);
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/api\/measurements",status="200"\} 1/);
    expect(text).not.toContain('route="/api/measurements/123"');
    expect(text).toMatch(/^pg_pool_connections_total \d+/m);
    expect(text).toMatch(/^pg_pool_connections_idle \d+/m);
    expect(text).toMatch(/^pg_pool_requests_waiting 0/m);
  });

  it('echoes a valid X-Request-Id and replaces an unsafe one', async () => {
    expect((await http().get('/api/stats').set('X-Request-Id', 'abc-123').expect(200)).headers['x-request-id']).toBe('abc-123');
    expect((await management().get('/healthz').set('X-Request-Id', 'abc-124').expect(200)).headers['x-request-id']).toBe('abc-124');
    const generated = (await http().get('/api/stats').set('X-Request-Id', 'bad id with spaces').expect(200)).headers['x-request-id'];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const problem = await http().get('/nope').set('X-Request-Id', 'trace-1').expect(404);
    expect(problem.headers['x-request-id']).toBe('trace-1');
    expect(problem.body.requestId).toBe('trace-1');
  });
});

describe('the OpenAPI document', () => {
  it('lists exactly the routes the app serves', async () => {
    const document = (await context().as(undefined).get('/openapi.json').expect(200)).body;
    const documented = Object.entries(document.paths as Record<string, object>)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    // Probe every documented operation: none may fall through to 404 "No route" / 405.
    for (const operation of documented) {
      const [method, path] = operation.split(' ');
      const response = await http()[method.toLowerCase() as 'get'](path.replace('{id}', '1'));
      expect([operation, response.body?.detail ?? '']).not.toEqual([operation, expect.stringMatching(/^No route|not allowed/)]);
    }
    expect(document.openapi).toBe('3.1.0');
    expect(documented).toEqual(
      [
        'GET /',
        'GET /openapi.json',
        'GET /api/measurements',
        'POST /api/measurements',
        'POST /api/measurements/import',
        'GET /api/measurements/export',
        'GET /api/measurements/{id}',
        'PUT /api/measurements/{id}',
        'DELETE /api/measurements/{id}',
        'GET /api/stats',
      ].sort(),
    );
  });

  it('has schemas that accept real responses and reject what the API rejects', async () => {
    const document = (await http().get('/openapi.json').expect(200)).body;
    const ajv = new Ajv2020({ strict: false });
    ajv.addFormat('date-time', true).addFormat('uri', true);
    ajv.addSchema({ $id: 'doc', components: document.components });
    const valid = (name: string, data: unknown) => ajv.validate({ $ref: `doc#/components/schemas/${name}` }, data);

    const input = { station: 's', kind: 'k', value: 1, recordedAt: '2024-01-01T00:00:00Z' };
    const created = (await http().post('/api/measurements').send(input).expect(201)).body;
    expect(valid('MeasurementInput', input)).toBe(true);
    expect(valid('Measurement', created)).toBe(true);
    expect(valid('MeasurementPage', (await http().get('/api/measurements').expect(200)).body)).toBe(true);
    expect(valid('Stats', (await http().get('/api/stats').expect(200)).body)).toBe(true);
    expect(valid('Problem', (await http().get('/api/measurements/999').expect(404)).body)).toBe(true);

    const unknownField = { ...input, extra: 1 };
    expect(valid('MeasurementInput', unknownField)).toBe(false);
    await http().post('/api/measurements').send(unknownField).expect(400);
    const stringValue = { ...input, value: '1' };
    expect(valid('MeasurementInput', stringValue)).toBe(false);
    await http().post('/api/measurements').send(stringValue).expect(400);
  });
});
