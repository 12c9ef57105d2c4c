// Idempotency-Key (IETF httpapi draft-ietf-httpapi-idempotency-key-header): a retried create or
// import with the same key replays the stored outcome instead of writing twice.
import pg from 'pg';
import { useTestApp } from './support/per-file';

const context = useTestApp();
const http = () => context().http();
const sample = { station: 'berlin-mitte', kind: 'temperature', value: 21.5, unit: 'celsius', recordedAt: '2024-05-01T12:00:00.000Z' };
const header = 'station,kind,value,unit,recordedAt';
const count = async () => Number((await context().api.db.query<{ n: string }>({ text: 'SELECT count(*) AS n FROM measurements' })).rows[0].n);

describe('Idempotency-Key on POST /api/measurements', () => {
  it('replays the stored 201 for a retry with the same key and payload, and writes once', async () => {
    const first = await http().post('/api/measurements').set('Idempotency-Key', '"retry-1"').send(sample).expect(201);
    const second = await http().post('/api/measurements').set('Idempotency-Key', '"retry-1"').send(sample).expect(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(await count()).toBe(1);
  });

  it('answers 422 when the same key comes with another payload, and writes nothing more', async () => {
    await http().post('/api/measurements').set('Idempotency-Key', '"reused"').send(sample).expect(201);
    const response = await http().post('/api/measurements').set('Idempotency-Key', '"reused"').send({ ...sample, value: 22 }).expect(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('idempotency_key_reused');
    expect(await count()).toBe(1);
  });

  it('answers 409 while the first request with the key is still in flight', async () => {
    // Hold the table so the first request waits inside its transaction.
    const blocker = new pg.Client({ connectionString: context().database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE measurements IN ACCESS EXCLUSIVE MODE');
      const first = http().post('/api/measurements').set('Idempotency-Key', '"slow"').send(sample).then((r) => r);
      await waitFor(async () => (await blocker.query("SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted")).rows[0].n > 0);
      const second = await http().post('/api/measurements').set('Idempotency-Key', '"slow"').send(sample);
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('idempotency_key_in_flight');
      await blocker.query('COMMIT');
      expect((await first).status).toBe(201);
    } finally {
      await blocker.end();
    }
    expect(await count()).toBe(1);
  });

  it('treats keys independently and requests without a key as before', async () => {
    await http().post('/api/measurements').set('Idempotency-Key', '"a"').send(sample).expect(201);
    await http().post('/api/measurements').set('Idempotency-Key', '"b"').send(sample).expect(201);
    await http().post('/api/measurements').send(sample).expect(201);
    await http().post('/api/measurements').send(sample).expect(201);
    expect(await count()).toBe(4);
  });

  it.each(['bare-token', '""', '"caf\u00e9"', `"${'k'.repeat(256)}"`])('refuses the malformed key %j with 400', async (key) => {
    const response = await http().post('/api/measurements').set('Idempotency-Key', key).send(sample).expect(400);
    expect(response.body.errors[0].field).toBe('Idempotency-Key');
    expect(await count()).toBe(0);
  });

  it('does not store a refused request: the key can be used again with a corrected payload', async () => {
    await http().post('/api/measurements').set('Idempotency-Key', '"fix-me"').send({ ...sample, station: '' }).expect(400);
    await http().post('/api/measurements').set('Idempotency-Key', '"fix-me"').send(sample).expect(201);
    expect(await count()).toBe(1);
  });
});

describe('Idempotency-Key on POST /api/measurements/import', () => {
  const csv = [header, 'a,temperature,1,c,2024-01-01T00:00:00Z', 'b,temperature,2,c,2024-01-01T00:00:00Z'].join('\n');
  const importCsv = (key: string, body = csv) =>
    http().post('/api/measurements/import').set('Content-Type', 'text/csv').set('Idempotency-Key', key).send(body);

  it('imports once and replays the result for a retry', async () => {
    await importCsv('"import-1"').expect(201, { imported: 2 });
    await importCsv('"import-1"').expect(201, { imported: 2 });
    expect(await count()).toBe(2);
  });

  it('answers 422 for the same key with another file', async () => {
    await importCsv('"import-2"').expect(201);
    const response = await importCsv('"import-2"', `${csv}\nc,k,3,,`).expect(422);
    expect(response.body.code).toBe('idempotency_key_reused');
    expect(await count()).toBe(2);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
