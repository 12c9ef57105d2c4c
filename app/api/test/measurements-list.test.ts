import { useTestApp } from './support/per-file';

const context = useTestApp();
const http = () => context().http();

/** Inserts rows directly: n measurements, one minute apart, alternating stations/kinds. */
async function seed(n: number, start = Date.UTC(2024, 0, 1)) {
  await context().api.db.query({
    text: `INSERT INTO measurements (station, kind, value, unit, recorded_at)
           SELECT CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END, CASE WHEN i % 3 = 0 THEN 'pm25' ELSE 'temperature' END,
                  i, 'u', to_timestamp($2::float8 / 1000) + (i || ' minutes')::interval
           FROM generate_series(1, $1::int) AS i`,
    values: [n, start],
  });
}

async function readAll(query: string): Promise<Array<{ id: string; recordedAt: string }>> {
  const items = [];
  let cursor: string | null = null;
  do {
    const response: { body: { items: Array<{ id: string; recordedAt: string }>; nextCursor: string | null } } = await http()
      .get(`/api/measurements?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      .expect(200);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
  } while (cursor);
  return items;
}

describe('listing measurements', () => {
  it('returns an empty page with a null cursor when there is nothing', async () => {
    expect((await http().get('/api/measurements').expect(200)).body).toEqual({ items: [], nextCursor: null });
  });

  it('lists newest first by default, 50 per page', async () => {
    await seed(60);
    const { body } = await http().get('/api/measurements').expect(200);
    expect(body.items).toHaveLength(50);
    expect(body.items[0].value).toBe(60);
    expect(body.nextCursor).toEqual(expect.any(String));
  });

  it('walks every row exactly once across pages, in both orders', async () => {
    await seed(23);
    const desc = await readAll('limit=5');
    const asc = await readAll('limit=5&order=asc');
    expect(desc.map((m) => m.id)).toEqual([...asc].reverse().map((m) => m.id));
    expect(new Set(desc.map((m) => m.id)).size).toBe(23);
  });

  it('breaks ties on recordedAt by id so pages never skip or repeat rows', async () => {
    for (let i = 0; i < 7; i++) {
      await http().post('/api/measurements').send({ station: 's', kind: 'k', value: i, recordedAt: '2024-01-01T00:00:00Z' }).expect(201);
    }
    const ids = (await readAll('limit=2')).map((m) => Number(m.id));
    expect(ids).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it('ends with a null cursor when the last page is exactly full', async () => {
    await seed(4);
    const first = await http().get('/api/measurements?limit=2').expect(200);
    const second = await http().get(`/api/measurements?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.items).toHaveLength(2);
    expect(second.body.nextCursor).toBeNull();
  });

  it('accepts limit 1 and 500 and rejects 0, 501 and non-numbers', async () => {
    await seed(3);
    expect((await http().get('/api/measurements?limit=1').expect(200)).body.items).toHaveLength(1);
    expect((await http().get('/api/measurements?limit=500').expect(200)).body.items).toHaveLength(3);
    for (const limit of ['0', '501', '-1', '1.5', 'ten', '']) {
      const response = await http().get(`/api/measurements?limit=${limit}`);
      expect([limit, response.status, response.body.code]).toEqual([limit, 400, 'validation_failed']);
    }
  });

  it('filters by station, kind and a [from, to) time range', async () => {
    await seed(12);
    const station = await readAll('station=a');
    expect(station.every((m) => (m as unknown as { station: string }).station === 'a')).toBe(true);
    expect(station).toHaveLength(6);
    const both = await readAll('station=a&kind=pm25');
    expect(both.map((m) => (m as unknown as { value: number }).value).sort((x, y) => x - y)).toEqual([6, 12]);
    const range = await readAll('from=2024-01-01T00:03:00Z&to=2024-01-01T00:06:00Z&order=asc');
    expect(range.map((m) => m.recordedAt)).toEqual(['2024-01-01T00:03:00.000Z', '2024-01-01T00:04:00.000Z', '2024-01-01T00:05:00.000Z']);
  });

  it('rejects unknown query parameters, repeated parameters and bad dates with 400', async () => {
    await http().get('/api/measurements?colour=red').expect(400);
    await http().get('/api/measurements?station=a&station=b').expect(400);
    await http().get('/api/measurements?from=yesterday').expect(400);
    await http().get('/api/measurements?order=sideways').expect(400);
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['valid base64 of the wrong shape', Buffer.from('{"a":1}').toString('base64url')],
    ['an id beyond bigint', Buffer.from(JSON.stringify(['desc', '2024-01-01T00:00:00.000Z', '99999999999999999999'])).toString('base64url')],
    ['an impossible date', Buffer.from(JSON.stringify(['desc', '2024-02-30T00:00:00.000Z', '1'])).toString('base64url')],
  ])('rejects a cursor that is %s with 400 invalid_cursor', async (_name, cursor) => {
    const response = await http().get(`/api/measurements?cursor=${encodeURIComponent(cursor)}`).expect(400);
    expect(response.body.code).toBe('invalid_cursor');
  });

  it('rejects a cursor from a listing in the other order', async () => {
    await seed(3);
    const { body } = await http().get('/api/measurements?limit=1&order=asc').expect(200);
    const response = await http().get(`/api/measurements?cursor=${body.nextCursor}`).expect(400);
    expect(response.body.code).toBe('invalid_cursor');
  });
});

describe('the unit filter', () => {
  it('selects one unit, or with an empty value the measurements without a unit', async () => {
    for (const unit of ['°C', '°F', undefined]) {
      await http().post('/api/measurements').send({ station: 's', kind: 'temperature', value: 1, ...(unit ? { unit } : {}) }).expect(201);
    }
    const units = async (query: string) => (await http().get(`/api/measurements?${query}`).expect(200)).body.items.map((m: { unit: string | null }) => m.unit);
    expect(await units('unit=%C2%B0C')).toEqual(['°C']);
    expect(await units('unit=')).toEqual([null]);
    expect((await units('station=s')).sort()).toEqual(['°C', '°F', null].sort());
    const exported = (await http().get('/api/measurements/export?unit=%C2%B0F').expect(200)).text.trim().split('\n');
    expect(exported).toHaveLength(2);
  });
});
