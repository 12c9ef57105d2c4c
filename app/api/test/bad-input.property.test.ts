// Property: whatever a client sends, the answer is a 4xx problem (never 5xx, never a hang)
// and the table is unchanged. >= 1000 generated requests across bodies, ids, queries and CSV.
import fc from 'fast-check';
import request from 'supertest';
import { useTestApp } from './support/per-file';

const context = useTestApp();
const http = () => context().http();
const header = 'station,kind,value,unit,recordedAt';

async function snapshot(): Promise<string> {
  const { rows } = await context().api.db.query<{ digest: string }>({
    text: "SELECT count(*) || ':' || coalesce(md5(string_agg(id || station || kind || value || coalesce(unit, '') || recorded_at || version, ',' ORDER BY id)), '') AS digest FROM measurements",
  });
  return rows[0].digest;
}

let before: string;
let existingId: string;
beforeEach(async () => {
  const created = await http().post('/api/measurements').send({ station: 's', kind: 'k', value: 1 }).expect(201);
  existingId = created.body.id;
  before = await snapshot();
});

function expectRejected(response: request.Response, what: unknown) {
  if (response.status < 400 || response.status >= 500) {
    throw new Error(`expected 4xx for ${JSON.stringify(what)}, got ${response.status} ${response.text}`);
  }
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
}

// Almost-valid bodies: one field wrong, an extra field, or arbitrary JSON.
const badValue = fc.oneof(fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer()), fc.object());
const badBody = fc.oneof(
  fc.record({ station: fc.oneof(fc.constant(''), fc.string({ minLength: 101, maxLength: 120 }), fc.integer(), fc.constant('a\u0000')), kind: fc.constant('k'), value: fc.double() }),
  fc.record({ station: fc.constant('s'), kind: fc.constant('k'), value: badValue }),
  fc.record({ station: fc.constant('s'), kind: fc.constant('k'), value: fc.constant(1), recordedAt: fc.oneof(fc.string(), fc.integer(), fc.constant('0000-01-01T00:00:00Z'), fc.constant('2024-13-01T00:00:00Z')) }),
  fc.record({ station: fc.constant('s'), kind: fc.constant('k'), value: fc.constant(1), unit: fc.oneof(fc.constant(''), fc.integer(), fc.string({ minLength: 21, maxLength: 30 })) }),
  fc.dictionary(fc.string({ maxLength: 5 }).filter((k) => !['station', 'kind', 'value', 'unit', 'recordedAt'].includes(k)), fc.jsonValue(), { minKeys: 1 }),
  fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)),
);

describe('bad input never causes a 5xx or a change', () => {
  it('rejects random JSON bodies on POST and PUT', async () => {
    await fc.assert(
      fc.asyncProperty(badBody, fc.constantFrom('post', 'put'), async (body, method) => {
        const call = method === 'post' ? http().post('/api/measurements') : http().put(`/api/measurements/${existingId}`).set('If-Match', '"1"');
        expectRejected(await call.set('Content-Type', 'application/json').send(JSON.stringify(body)), body);
      }),
      { numRuns: 300 },
    );
    expect(await snapshot()).toBe(before);
  });

  it('rejects random raw bodies (broken JSON, wrong media types)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.constantFrom('application/json', 'text/plain', 'application/xml', 'application/json; charset=latin1'), async (raw, type) => {
        fc.pre(type !== 'application/json' || !isJson(raw));
        expectRejected(await http().post('/api/measurements').set('Content-Type', type).send(raw), raw);
      }),
      { numRuns: 200 },
    );
    expect(await snapshot()).toBe(before);
  });

  it('rejects random ids on GET, PUT and DELETE', async () => {
    const id = fc.oneof(fc.string({ minLength: 1 }), fc.bigInt({ min: 2n, max: 10n ** 25n }).map(String), fc.constantFrom('0', '-1', '1.0', '1e3', ' 1', '０'));
    await fc.assert(
      fc.asyncProperty(id, fc.constantFrom('get', 'put', 'delete'), async (raw, method) => {
        // A random string can spell the one row's real id, which is not bad input.
        fc.pre(raw !== existingId);
        const path = `/api/measurements/${encodeURIComponent(raw)}`;
        const call = method === 'get' ? http().get(path) : method === 'delete' ? http().delete(path) : http().put(path).set('If-Match', '"1"').send({ station: 's', kind: 'k', value: 2 });
        const response = await call;
        // Ids that merely do not exist are a clean 404; /import and /export are other routes.
        if (['import', 'export'].includes(raw) && method === 'get') return;
        expectRejected(response, raw);
      }),
      { numRuns: 250 },
    );
    expect(await snapshot()).toBe(before);
  });

  it('rejects random query strings on list, export and stats', async () => {
    const key = fc.constantFrom('station', 'kind', 'from', 'to', 'limit', 'cursor', 'order', 'x');
    const value = fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('', '2024-02-30T00:00:00Z', '9999999', 'asc', '%', '0'));
    const query = fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(query, fc.constantFrom('/api/measurements', '/api/measurements/export', '/api/stats'), async (pairs, path) => {
        const qs = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
        const response = await http().get(`${path}?${qs}`);
        // Some generated queries are valid; those must be 200. Everything else 4xx.
        if (response.status !== 200) expectRejected(response, qs);
      }),
      { numRuns: 250 },
    );
    expect(await snapshot()).toBe(before);
  });

  it('rejects random CSV bodies that contain at least one bad row', async () => {
    const field = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('', '"', '""', 'abc', '1', '2024-01-01T00:00:00Z', '\u0000'));
    const row = fc.array(field, { minLength: 0, maxLength: 7 }).map((cells) => cells.join(','));
    const badRow = fc.constantFrom('s,k,notanumber,,', 's,k,1,,yesterday', ',k,1,,', 's,k', '"unclosed,k,1,,');
    const csv = fc.tuple(fc.boolean(), fc.array(row, { maxLength: 6 }), badRow, fc.array(row, { maxLength: 6 })).map(
      ([withHeader, head, bad, tail]) => [...(withHeader ? [header] : []), ...head, bad, ...tail].join('\n'),
    );
    await fc.assert(
      fc.asyncProperty(csv, async (body) => {
        expectRejected(await http().post('/api/measurements/import').set('Content-Type', 'text/csv').send(body), body);
      }),
      { numRuns: 250 },
    );
    expect(await snapshot()).toBe(before);
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
