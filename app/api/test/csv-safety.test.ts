// CSV import/export safety: formula injection neutralised on export (OWASP "CSV Injection") in a
// form the import reads back losslessly; bounded error reports; quote errors at the right line.
import { useTestApp } from './support/per-file';

const context = useTestApp();
const http = () => context().http();
const header = 'station,kind,value,unit,recordedAt';
const importCsv = (csv: string) => http().post('/api/measurements/import').set('Content-Type', 'text/csv').send(csv);
const fields = (m: Record<string, unknown>) => [m.station, m.kind, m.value, m.unit, m.recordedAt];

describe('CSV export and formula injection', () => {
  const dangerous = ['=HYPERLINK("http://evil")', '+1+1', '-2+3', '@SUM(A1)', "'quoted", "''twice"];

  it('prefixes cells a spreadsheet would run as a formula with an apostrophe, and keeps numbers numbers', async () => {
    for (const [i, text] of dangerous.entries()) {
      await http().post('/api/measurements').send({ station: text, kind: 'k', value: -2.5, unit: text.slice(0, 20), recordedAt: `2024-01-01T00:00:0${i}Z` }).expect(201);
    }
    const exported = (await http().get('/api/measurements/export').expect(200)).text;
    const rows = exported.trim().split('\n').slice(1);
    for (const row of rows) {
      // Every text cell starts with something other than a formula trigger; value stays -2.5.
      expect(row).toMatch(/^"?'/);
      expect(row).toContain(',-2.5,');
    }
    expect(rows[0]).toBe(`"'=HYPERLINK(""http://evil"")",k,-2.5,"'=HYPERLINK(""http://e",2024-01-01T00:00:00.000Z,station-uploader,station-uploader`);
  });

  it('reads its own export back to exactly the stored values', async () => {
    for (const [i, text] of dangerous.entries()) {
      await http().post('/api/measurements').send({ station: text, kind: `k${text}`, value: -2.5, unit: text.slice(0, 20), recordedAt: `2024-01-01T00:00:0${i}.5Z` }).expect(201);
    }
    await http().post('/api/measurements').send({ station: 'plain', kind: 'k', value: -0.125, recordedAt: '2024-01-02T00:00:00Z' }).expect(201);
    const before = (await http().get('/api/measurements?order=asc').expect(200)).body.items;
    const exported = (await http().get('/api/measurements/export').expect(200)).text;
    await context().api.db.query({ text: 'TRUNCATE measurements' });
    await importCsv(exported).expect(201, { imported: before.length });
    const after = (await http().get('/api/measurements?order=asc').expect(200)).body.items;
    expect(after.map(fields)).toEqual(before.map(fields));
  });
});

describe('CSV error report', () => {
  it('lists the first 100 errors and gives the total count', async () => {
    const csv = [header, ...Array.from({ length: 250 }, (_, i) => `s,k,bad${i},,`)].join('\n');
    const response = await importCsv(csv).expect(422);
    expect(response.body.errors).toHaveLength(100);
    expect(response.body.errors[0]).toMatchObject({ line: 2, field: 'value' });
    expect(response.body.totalErrors).toBe(250);
    expect(response.body.detail).toMatch(/250/);
    expect(response.text.length).toBeLessThan(20_000);
  });

  it('reports an unterminated quote at the line where it opens', async () => {
    const csv = [header, 'a,k,1,,', 'b,k,2,,', '"never closed,k,3,,', 'c,k,4,,', 'd,k,5,,'].join('\n');
    const response = await importCsv(csv).expect(422);
    expect(response.body.errors).toEqual([{ line: 4, message: expect.stringMatching(/quote.*line 4/i) }]);
  });

  it('reports an unterminated quote opened inside a later field at its own line', async () => {
    const csv = [header, 'a,k,1,,', '"two\nlines",k,2,"c', 'd,k,5,,'].join('\n');
    const response = await importCsv(csv).expect(422);
    expect(response.body.errors).toEqual([{ line: 4, message: expect.stringMatching(/quote/i) }]);
  });
});
