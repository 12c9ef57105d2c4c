import { createTestApp } from './support/app';
import { useTestApp, withToken } from './support/per-file';

const context = useTestApp();
const http = () => context().http();
const header = 'station,kind,value,unit,recordedAt';

const importCsv = (csv: string, type = 'text/csv') => http().post('/api/measurements/import').set('Content-Type', type).send(csv);
const count = async () => Number((await context().api.db.query<{ n: string }>({ text: 'SELECT count(*) AS n FROM measurements' })).rows[0].n);

describe('CSV import', () => {
  it('imports every row in one go and answers 201 with the count', async () => {
    const csv = [header, 'a,temperature,21.5,celsius,2024-01-01T00:00:00Z', 'b,pm25,-3e2,,', '"c, quoted",humidity,0.5,%,2024-01-02T00:00:00+01:00'].join('\n');
    const response = await importCsv(`${csv}\n`).expect(201);
    expect(response.body).toEqual({ imported: 3 });
    const { body } = await http().get('/api/measurements?order=asc&station=c%2C%20quoted').expect(200);
    expect(body.items[0]).toMatchObject({ station: 'c, quoted', kind: 'humidity', value: 0.5, unit: '%', recordedAt: '2024-01-01T23:00:00.000Z' });
    const defaulted = (await http().get('/api/measurements?station=b').expect(200)).body.items[0];
    expect(defaulted).toMatchObject({ value: -300, unit: null });
  });

  it('accepts a header-only file, CRLF line ends and a UTF-8 BOM', async () => {
    await importCsv(`${header}\r\n`).expect(201, { imported: 0 });
    await importCsv(`\uFEFF${header}\r\na,k,1,,\r\n`).expect(201, { imported: 1 });
  });

  it('reports every bad row with its line number and imports nothing', async () => {
    const csv = [
      header, // 1
      'ok,temperature,1,c,', // 2
      ',temperature,1,c,', // 3 missing station
      'ok,temperature,abc,c,', // 4 bad value
      'ok,temperature,1,c,yesterday', // 5 bad date
      'ok,temperature,1,c', // 6 too few fields
      'ok,temperature,1,c,,extra', // 7 too many fields
      'ok,temperature,,c,', // 8 missing value
      `${'x'.repeat(101)},temperature,1,c,`, // 9 station too long
      'ok,temperature,1e999,c,', // 10 not finite
    ].join('\n');
    const response = await importCsv(csv).expect(422);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('invalid_csv');
    expect(response.body.errors.map((e: { line: number }) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(response.body.errors[0]).toMatchObject({ line: 3, field: 'station' });
    expect(response.body.errors[1]).toMatchObject({ line: 4, field: 'value' });
    expect(response.body.errors[2]).toMatchObject({ line: 5, field: 'recordedAt' });
    expect(await count()).toBe(0);
  });

  it('numbers lines from the file even after a quoted field spanning lines', async () => {
    const csv = [header, '"multi', 'line",k,1,,', 'ok,k,bad,,'].join('\n');
    const response = await importCsv(csv).expect(422);
    // A line break is a control character, refused in a station; the row is reported at its first line.
    expect(response.body.errors).toEqual([
      { line: 2, field: 'station', message: expect.stringContaining('control characters') },
      { line: 4, field: 'value', message: 'must be a decimal number' },
    ]);
  });

  it('rejects a wrong header on line 1', async () => {
    const response = await importCsv('station,kind,value\na,b,1\n').expect(422);
    expect(response.body.errors).toEqual([{ line: 1, message: `the header line must be exactly ${header} (or ${header},createdBy,updatedBy, as exported)` }]);
  });

  it('rejects an empty file', async () => {
    const response = await importCsv('').expect((r) => expect([400, 422]).toContain(r.status));
    expect(['validation_failed', 'invalid_csv']).toContain(response.body.code);
  });

  it('rejects malformed quoting with the line of the error', async () => {
    const response = await importCsv([header, 'a,k,1,,', '"broken"x,k,1,,', 'a,k,1,,'].join('\n')).expect(422);
    expect(response.body.errors[0]).toMatchObject({ line: 3, message: expect.stringMatching(/quote/i) });
    expect(await count()).toBe(0);
  });

  it('rejects an unclosed quote at the end of the file', async () => {
    const response = await importCsv([header, 'a,k,1,,', '"open,k,1,,'].join('\n')).expect(422);
    expect(response.body.errors[0].message).toMatch(/quote/i);
    expect(await count()).toBe(0);
  });

  it('rejects a NUL character in a field', async () => {
    const response = await importCsv(`${header}\na\u0000b,k,1,,\n`).expect(422);
    expect(response.body.errors[0]).toMatchObject({ line: 2, field: 'station' });
  });

  it('rejects other media types with 415 and a non-UTF-8 charset with 415', async () => {
    await importCsv(`${header}\n`, 'application/json').expect(415);
    await importCsv(`${header}\n`, 'text/csv; charset=latin1').expect(415);
  });

  it('rejects a file over the size limit with 413', async () => {
    const small = createTestApp(context().database.url, { csvBodyLimitBytes: 100 });
    try {
      const response = await withToken(small.callback, context().token)
        .post('/api/measurements/import')
        .set('Content-Type', 'text/csv')
        .send(`${header}\n${'a,k,1,,\n'.repeat(50)}`)
        .expect(413);
      expect(response.body.code).toBe('payload_too_large');
      expect(await count()).toBe(0);
    } finally {
      await small.close();
    }
  });
});

describe('CSV export', () => {
  it('streams the filtered set as CSV that imports back to the same rows', async () => {
    const csv = [
      header,
      'a,temperature,21.5,celsius,2024-01-01T00:00:00.000Z',
      '"quote ""inside""",pm25,1e-7,,2024-01-01T00:00:01.000Z',
      '"comma, and more",pm25,-0.1,µg/m³,2024-01-01T00:00:02.123Z',
      'b,temperature,1e+21,c,2024-01-01T00:00:03.000Z',
    ].join('\n');
    await importCsv(csv).expect(201);
    const exported = await http().get('/api/measurements/export').expect(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    // The export adds the authors; the import reads that header too and ignores those columns.
    expect(exported.text.split('\n')[0]).toBe(`${header},createdBy,updatedBy`);

    const before = (await http().get('/api/measurements?order=asc').expect(200)).body.items;
    await context().api.db.query({ text: 'TRUNCATE measurements' });
    await importCsv(exported.text).expect(201, { imported: 4 });
    const after = (await http().get('/api/measurements?order=asc').expect(200)).body.items;
    const fields = (m: Record<string, unknown>) => [m.station, m.kind, m.value, m.unit, m.recordedAt];
    expect(after.map(fields)).toEqual(before.map(fields));
  });

  it('applies station, kind and time filters', async () => {
    await importCsv([header, 'a,t,1,,2024-01-01T00:00:00Z', 'a,p,2,,2024-01-02T00:00:00Z', 'b,t,3,,2024-01-03T00:00:00Z'].join('\n')).expect(201);
    const lines = async (query: string) => (await http().get(`/api/measurements/export?${query}`).expect(200)).text.trim().split('\n').slice(1);
    expect(await lines('station=a')).toHaveLength(2);
    const row = 'a,p,2,,2024-01-02T00:00:00.000Z,station-uploader,station-uploader';
    expect(await lines('station=a&kind=p')).toEqual([row]);
    expect(await lines('from=2024-01-02T00:00:00Z&to=2024-01-03T00:00:00Z')).toEqual([row]);
    expect(await lines("station=it's")).toEqual([]);
  });

  it('rejects bad filters with 400 before streaming anything', async () => {
    const response = await http().get('/api/measurements/export?from=nope').expect(400);
    expect(response.body.code).toBe('validation_failed');
    await http().get('/api/measurements/export?limit=5').expect(400);
  });
});

describe('stats', () => {
  it('returns count, min, max, avg and the latest value per station, kind and unit', async () => {
    await importCsv(
      [header, 'a,t,1,c,2024-01-01T00:00:00Z', 'a,t,3,c,2024-01-03T00:00:00Z', 'a,t,2,c,2024-01-02T00:00:00Z', 'b,p,5,,2024-01-01T00:00:00Z'].join('\n'),
    ).expect(201);
    const { body } = await http().get('/api/stats').expect(200);
    expect(body.items).toEqual([
      { station: 'a', kind: 't', unit: 'c', count: 3, min: 1, max: 3, avg: 2, latest: { value: 3, recordedAt: '2024-01-03T00:00:00.000Z' } },
      { station: 'b', kind: 'p', unit: null, count: 1, min: 5, max: 5, avg: 5, latest: { value: 5, recordedAt: '2024-01-01T00:00:00.000Z' } },
    ]);
    expect((await http().get('/api/stats?station=b').expect(200)).body.items).toHaveLength(1);
    expect((await http().get('/api/stats?kind=t').expect(200)).body.items).toHaveLength(1);
    await http().get('/api/stats?unit=c').expect(400);
  });
});
