// `smoke`: one pass over everything an operator relies on after a deploy, against a running
// API (and optionally the front): health, readiness, CRUD with optimistic concurrency, CSV
// import (a rejected file first) and export. Stops at the first failed step and names it;
// always removes what it created.
import crypto from 'node:crypto';
import { baseUrl, integer, parseDrillArgs } from './args';
import type { Drill, Io } from './drill';
import { DrillFailure } from './errors';
import { bearer, expectStatus, json, quote, request, type HttpResponse } from './http';

const HELP = `Usage: npm run smoke -- --base-url <api-url> [--management-url <url>] [--front-url <front-url> [--front-management-url <url>]] [--timeout-ms <ms>]

Checks a running EcoData API end to end and exits non-zero at the first failed step:
  GET /healthz and GET /readyz on the management port (with --management-url), GET /, a POST
  without a token (expects 401, nothing stored), POST/GET/PUT (If-Match) a measurement, PUT with a stale
  version (expects 412 and no change), list by station, a CSV import with a bad row (expects
  422 with its line number, nothing imported), a good CSV import, export and compare, DELETE.
With --front-url it also checks the front: its /healthz and /readyz (on --front-management-url),
and that a visitor without a session is sent to the identity provider's sign-in (a redirect to
an authorization request with PKCE), or, where the environment lets anonymous visitors read,
that the measurements page shows the measurement created through the API.
Every row it writes uses a unique station name (smoke-<time>-<random>) and is deleted at the
end, also when a step fails.

The API needs a bearer token: set API_TOKEN to an access token with the editor role, e.g. a
client-credentials token of a machine client (the environment, not an argument: ps shows those).

Options:
  --base-url <url>        API base URL, e.g. http://127.0.0.1:8080 or https://api.example.com
  --management-url <url>  the API's management port (probes), e.g. http://127.0.0.1:9090 after
                          kubectl port-forward; the health steps are skipped without it
  --front-url <url>       front base URL (optional)
  --front-management-url <url>  the front's management port (its probes; optional)
  --timeout-ms <ms>    deadline of each HTTP request (default 5000)
  -h, --help           show this help

Exit codes: 0 all steps passed, 1 a step failed, 2 bad arguments.`;

interface Measurement {
  readonly id: string;
  readonly station: string;
  readonly kind: string;
  readonly value: number;
  readonly unit: string | null;
  readonly recordedAt: string;
  readonly version: number;
}

interface SmokeContext {
  readonly api: string;
  readonly management: string | undefined;
  /** The Authorization header from API_TOKEN, or none. */
  readonly auth: Record<string, string>;
  readonly front: string | undefined;
  readonly frontManagement: string | undefined;
  readonly timeoutMs: number;
  readonly station: string;
  readonly csvStation: string;
  created?: Measurement;
}

interface Step {
  readonly name: string;
  /** The step may store rows (clean-up runs once such a step has started). */
  readonly writes?: boolean;
  /** Runs only with --front-url. */
  readonly front?: boolean;
  /** Runs only with --management-url. */
  readonly management?: boolean;
  readonly run: (context: SmokeContext) => Promise<void>;
}

const csvRows = [
  ['temperature', '12.5', 'C', '2026-01-01T00:00:00.000Z'],
  ['temperature', '13.25', 'C', '2026-01-01T01:00:00.000Z'],
  ['humidity', '61', '%', '2026-01-01T02:00:00.000Z'],
] as const;
const csvHeader = 'station,kind,value,unit,recordedAt';
// The export adds who created and last changed each row.
const exportHeader = `${csvHeader},createdBy,updatedBy`;

function call(context: SmokeContext, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<HttpResponse> {
  return request(`${context.api}${path}`, { ...init, headers: { ...context.auth, ...init.headers }, timeoutMs: context.timeoutMs });
}

function management(context: SmokeContext, path: string): Promise<HttpResponse> {
  if (context.management === undefined) throw new DrillFailure('--management-url is not set');
  return request(`${context.management}${path}`, { timeoutMs: context.timeoutMs });
}

function sendJson(context: SmokeContext, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
  return call(context, path, { method, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DrillFailure(message);
}

function created(context: SmokeContext): Measurement {
  check(context.created !== undefined, 'no measurement was created by an earlier step');
  return context.created;
}

function expectProblem(response: HttpResponse, status: number, code: string, what: string): Record<string, unknown> {
  expectStatus(response, status, what);
  const type = response.headers.get('content-type') ?? '';
  check(type.startsWith('application/problem+json'), `${what}: expected application/problem+json, got "${type}"`);
  const problem = json<Record<string, unknown>>(response, what);
  check(problem.code === code, `${what}: expected problem code "${code}", got ${JSON.stringify(problem.code)}`);
  return problem;
}

const steps: readonly Step[] = [
  {
    name: 'liveness GET /healthz',
    management: true,
    run: async (context) => {
      const response = await management(context, '/healthz');
      expectStatus(response, 200, 'GET /healthz');
      check(response.headers.get('x-request-id') !== null, 'GET /healthz: the response has no X-Request-Id header');
    },
  },
  {
    name: 'readiness GET /readyz',
    management: true,
    run: async (context) => expectStatus(await management(context, '/readyz'), 200, 'GET /readyz (database reachable and migrated)'),
  },
  {
    name: 'service info GET /',
    run: async (context) => {
      const response = await call(context, '/');
      expectStatus(response, 200, 'GET /');
      const info = json<{ name?: unknown }>(response, 'GET /');
      check(info.name === 'ecodata-api', `GET /: expected name "ecodata-api", got ${JSON.stringify(info.name)} (is --base-url the API?)`);
    },
  },
  {
    name: 'sign-in required: POST without a token gets 401 and stores nothing',
    writes: true,
    run: async (context) => {
      const response = await request(`${context.api}/api/measurements`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ station: context.station, kind: 'temperature', value: -99, unit: 'C' }),
        timeoutMs: context.timeoutMs,
      });
      expectProblem(response, 401, 'unauthorized', 'POST /api/measurements without a token');
      check((response.headers.get('www-authenticate') ?? '').startsWith('Bearer '), 'POST /api/measurements without a token: no Bearer challenge in WWW-Authenticate');
      check(context.auth.Authorization !== undefined, 'API_TOKEN is not set: the next steps need an access token with the editor role');
    },
  },
  {
    name: 'create POST /api/measurements',
    writes: true,
    run: async (context) => {
      const response = await sendJson(context, 'POST', '/api/measurements', { station: context.station, kind: 'temperature', value: 21.5, unit: 'C' });
      expectStatus(response, 201, 'POST /api/measurements');
      const body = json<Measurement>(response, 'POST /api/measurements');
      context.created = body;
      check(typeof body.id === 'string' && body.station === context.station && body.value === 21.5 && body.version === 1, `POST /api/measurements: unexpected body ${quote(response.text)}`);
      check(response.headers.get('location') === `/api/measurements/${body.id}`, `POST /api/measurements: Location is ${JSON.stringify(response.headers.get('location'))}`);
      check(response.headers.get('etag') === '"1"', `POST /api/measurements: ETag is ${JSON.stringify(response.headers.get('etag'))}, expected "1"`);
    },
  },
  {
    name: 'read GET /api/measurements/:id',
    run: async (context) => {
      const measurement = created(context);
      const response = await call(context, `/api/measurements/${measurement.id}`);
      expectStatus(response, 200, `GET /api/measurements/${measurement.id}`);
      const body = json<Measurement>(response, 'GET');
      check(body.id === measurement.id && body.value === 21.5 && body.version === 1, `GET /api/measurements/${measurement.id}: unexpected body ${quote(response.text)}`);
    },
  },
  {
    name: 'update PUT /api/measurements/:id with If-Match',
    run: async (context) => {
      const measurement = created(context);
      const path = `/api/measurements/${measurement.id}`;
      const response = await sendJson(context, 'PUT', path, { station: context.station, kind: 'temperature', value: 22.75, unit: 'C' }, { 'If-Match': '"1"' });
      expectStatus(response, 200, `PUT ${path}`);
      const body = json<Measurement>(response, `PUT ${path}`);
      check(body.value === 22.75 && body.version === 2, `PUT ${path}: expected value 22.75 and version 2, got ${quote(response.text)}`);
      check(response.headers.get('etag') === '"2"', `PUT ${path}: ETag is ${JSON.stringify(response.headers.get('etag'))}, expected "2"`);
      context.created = body;
    },
  },
  {
    name: 'stale update PUT with an old If-Match gets 412 and changes nothing',
    run: async (context) => {
      const measurement = created(context);
      const path = `/api/measurements/${measurement.id}`;
      const stale = await sendJson(context, 'PUT', path, { station: context.station, kind: 'temperature', value: -1, unit: 'C' }, { 'If-Match': '"1"' });
      expectProblem(stale, 412, 'version_conflict', `PUT ${path} with If-Match "1"`);
      const after = json<Measurement>(await call(context, path), `GET ${path}`);
      check(after.value === 22.75 && after.version === 2, `GET ${path} after the stale PUT: expected value 22.75 version 2, got value ${after.value} version ${after.version}`);
    },
  },
  {
    name: 'list GET /api/measurements?station=',
    run: async (context) => {
      const measurement = created(context);
      const response = await call(context, `/api/measurements?station=${encodeURIComponent(context.station)}&limit=10`);
      expectStatus(response, 200, 'GET /api/measurements?station=');
      const page = json<{ items?: Measurement[] }>(response, 'GET /api/measurements');
      check(Array.isArray(page.items) && page.items.length === 1 && page.items[0]?.id === measurement.id, `GET /api/measurements?station=${context.station}: expected exactly the created measurement, got ${quote(response.text)}`);
    },
  },
  {
    name: 'front is up and sends visitors to sign in (or shows the API data to anonymous readers)',
    front: true,
    run: async (context) => {
      if (context.front === undefined) throw new DrillFailure('--front-url is not set');
      if (context.frontManagement !== undefined) {
        const probe = (path: string) => request(`${context.frontManagement}${path}`, { timeoutMs: context.timeoutMs });
        expectStatus(await probe('/healthz'), 200, 'front GET /healthz (management port)');
        expectStatus(await probe('/readyz'), 200, 'front GET /readyz (management port: API reachable)');
      }
      const page = await request(`${context.front}/measurements?station=${encodeURIComponent(context.station)}`, { timeoutMs: context.timeoutMs });
      if (page.status >= 300 && page.status < 400) {
        // Sign-in required (ANONYMOUS_READ off): the front sends the browser to its sign-in
        // route, which hands it to the provider with an authorization request.
        const front = context.front;
        let location = new URL(page.headers.get('location') ?? '', front).toString();
        if (location.startsWith(`${front}/`)) {
          const signIn = await request(location, { timeoutMs: context.timeoutMs });
          check(signIn.status >= 300 && signIn.status < 400, `front GET ${location}: expected a redirect to the identity provider, got ${signIn.status}`);
          location = new URL(signIn.headers.get('location') ?? '', location).toString();
        }
        let authorize: URL | undefined;
        try {
          authorize = new URL(location);
        } catch {
          authorize = undefined;
        }
        const params = authorize?.searchParams;
        check(
          params?.get('response_type') === 'code' && params.get('code_challenge_method') === 'S256' && !!params.get('state'),
          `front GET /measurements without a session: expected to be sent to an authorization request (code, PKCE S256, state), got ${quote(location)}`,
        );
        return;
      }
      expectStatus(page, 200, 'front GET /measurements?station= (anonymous reading)');
      check((page.headers.get('content-type') ?? '').startsWith('text/html'), `front GET /measurements: expected text/html, got "${page.headers.get('content-type')}"`);
      check(page.text.includes(context.station), `front GET /measurements?station=${context.station}: the page does not show the station created through the API`);
    },
  },
  {
    name: 'import rejects a CSV with a bad row (422, line number, nothing imported)',
    writes: true,
    run: async (context) => {
      const body = [csvHeader, `${context.csvStation},temperature,1,C,`, `${context.csvStation},temperature,not-a-number,C,`, ''].join('\n');
      const response = await call(context, '/api/measurements/import', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body });
      const problem = expectProblem(response, 422, 'invalid_csv', 'POST /api/measurements/import with a bad row');
      const errors = problem.errors as { line?: number }[] | undefined;
      check(Array.isArray(errors) && errors.length === 1 && errors[0]?.line === 3, `POST /api/measurements/import: expected one error on line 3, got ${JSON.stringify(errors)}`);
      const listed = json<{ items: unknown[] }>(await call(context, `/api/measurements?station=${encodeURIComponent(context.csvStation)}`), 'GET /api/measurements');
      check(listed.items.length === 0, `the rejected import still stored ${listed.items.length} row(s)`);
    },
  },
  {
    name: 'import POST /api/measurements/import',
    writes: true,
    run: async (context) => {
      const body = [csvHeader, ...csvRows.map((row) => [context.csvStation, ...row].join(',')), ''].join('\n');
      const response = await call(context, '/api/measurements/import', { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body });
      expectStatus(response, 201, 'POST /api/measurements/import');
      const result = json<{ imported?: unknown }>(response, 'POST /api/measurements/import');
      check(result.imported === csvRows.length, `POST /api/measurements/import: expected imported ${csvRows.length}, got ${quote(response.text)}`);
    },
  },
  {
    name: 'export GET /api/measurements/export returns what was imported',
    run: async (context) => {
      const response = await call(context, `/api/measurements/export?station=${encodeURIComponent(context.csvStation)}`);
      expectStatus(response, 200, 'GET /api/measurements/export');
      check((response.headers.get('content-type') ?? '').startsWith('text/csv'), `GET /api/measurements/export: expected text/csv, got "${response.headers.get('content-type')}"`);
      const lines = response.text.split(/\r?\n/).filter((line) => line !== '');
      check(lines[0] === exportHeader, `GET /api/measurements/export: header is ${JSON.stringify(lines[0])}, expected ${JSON.stringify(exportHeader)}`);
      const normalise = (fields: readonly string[]) => [fields[0], fields[1], Number(fields[2]), fields[3], new Date(fields[4] ?? '').toISOString()].join('|');
      const expected = csvRows.map((row) => normalise([context.csvStation, ...row]));
      const actual = lines.slice(1).map((line) => normalise(line.split(',')));
      check(JSON.stringify(actual) === JSON.stringify(expected), `GET /api/measurements/export: rows differ from the import:\n  expected ${expected.join('\n           ')}\n  got      ${actual.join('\n           ')}`);
    },
  },
  {
    name: 'delete DELETE /api/measurements/:id',
    run: async (context) => {
      const measurement = created(context);
      const path = `/api/measurements/${measurement.id}`;
      expectStatus(await call(context, path, { method: 'DELETE', headers: { 'If-Match': `"${measurement.version}"` } }), 204, `DELETE ${path}`);
      context.created = undefined;
      expectProblem(await call(context, path), 404, 'not_found', `GET ${path} after DELETE`);
    },
  },
];

/** Deletes every row of the drill's stations; returns how many it removed. */
async function cleanUp(context: SmokeContext): Promise<number> {
  let removed = 0;
  for (const station of [context.station, context.csvStation]) {
    for (;;) {
      const listed = await call(context, `/api/measurements?station=${encodeURIComponent(station)}&limit=500`);
      expectStatus(listed, 200, 'clean-up GET /api/measurements');
      const page = json<{ items: Measurement[] }>(listed, 'clean-up list');
      if (page.items.length === 0) break;
      for (const item of page.items) {
        const response = await call(context, `/api/measurements/${item.id}`, { method: 'DELETE', headers: { 'If-Match': `"${item.version}"` } });
        if (response.status !== 204 && response.status !== 404) throw new DrillFailure(`clean-up DELETE /api/measurements/${item.id}: HTTP ${response.status}`);
        removed += 1;
      }
    }
  }
  return removed;
}

async function run(argv: readonly string[], io: Io): Promise<void> {
  const args = parseDrillArgs(argv, {
    'base-url': { type: 'string' },
    'management-url': { type: 'string' },
    'front-url': { type: 'string' },
    'front-management-url': { type: 'string' },
    'timeout-ms': { type: 'string' },
  });
  if (args.help) {
    io.out(HELP);
    return;
  }
  const suffix = `${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;
  const context: SmokeContext = {
    api: baseUrl(args['base-url'], '--base-url'),
    management: args['management-url'] === undefined ? undefined : baseUrl(args['management-url'], '--management-url'),
    auth: bearer(io),
    front: args['front-url'] === undefined ? undefined : baseUrl(args['front-url'], '--front-url'),
    frontManagement: args['front-management-url'] === undefined ? undefined : baseUrl(args['front-management-url'], '--front-management-url'),
    timeoutMs: integer(args['timeout-ms'], '--timeout-ms', 5000, 100, 600_000),
    station: `smoke-${suffix}`,
    csvStation: `smoke-${suffix}-csv`,
  };
  io.out(`smoke: ${context.api}${context.front ? ` (front ${context.front})` : ''}, station ${context.station}`);
  const started = Date.now();
  let failure: DrillFailure | undefined;
  let writes = false;
  const selected = steps.filter((step) => (!step.front || context.front !== undefined) && (!step.management || context.management !== undefined));
  for (const step of selected) {
    writes ||= step.writes === true;
    const stepStarted = Date.now();
    try {
      await step.run(context);
    } catch (error) {
      if (!(error instanceof DrillFailure)) throw error;
      io.out(`FAIL ${step.name}`);
      failure = new DrillFailure(`step "${step.name}" failed: ${error.message}`, { cause: error });
      break;
    }
    io.out(`ok   ${step.name} (${Date.now() - stepStarted} ms)`);
  }
  if (writes) {
    try {
      const removed = await cleanUp(context);
      io.out(`clean-up: removed ${removed} row(s) left by the drill`);
    } catch (error) {
      if (!(error instanceof DrillFailure)) throw error;
      io.err(`smoke: clean-up incomplete (${error.message}); rows of stations ${context.station} and ${context.csvStation} may remain`);
      failure ??= new DrillFailure(`clean-up failed: ${error.message}`);
    }
  }
  if (failure) throw failure;
  io.out(`smoke: all ${selected.length} steps passed in ${Date.now() - started} ms`);
}

export const smoke: Drill = { name: 'smoke', summary: 'health, readiness, CRUD, CSV import/export against a base URL', help: HELP, run };
