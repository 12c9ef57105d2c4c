// Text and encodings: what cannot be stored faithfully, or would render misleadingly, is refused
// with a 4xx naming the field (and the CSV line), never stored mangled.
import { useTestApp } from './support/per-file';

const context = useTestApp();
const http = () => context().http();
const sample = { station: 'berlin-mitte', kind: 'temperature', value: 21.5, unit: 'celsius' };
const header = 'station,kind,value,unit,recordedAt';
const count = async () => Number((await context().api.db.query<{ n: string }>({ text: 'SELECT count(*) AS n FROM measurements' })).rows[0].n);

describe('text fields', () => {
  it.each([
    ['station', 't-\u202Eevil', 'bidi'],
    ['station', 'a\u2066b', 'bidi'],
    ['kind', 'temp\u0007', 'control'],
    ['kind', 'tab\there', 'control'],
    ['unit', '\u009b31m', 'control'],
    ['station', ' padded', 'spaces'],
    ['kind', 'padded ', 'spaces'],
    ['unit', '\u00a0celsius', 'spaces'],
    ['station', 'lone \ud800 surrogate', 'Unicode'],
  ])('refuses %s %j with 400 naming the field', async (field, text, words) => {
    const response = await http().post('/api/measurements').send({ ...sample, [field]: text }).expect(400);
    expect(response.body.errors).toEqual([{ field, message: expect.stringContaining(words) }]);
    expect(await count()).toBe(0);
  });

  it('accepts letters, symbols and inner spaces from any script', async () => {
    const created = await http().post('/api/measurements').send({ station: 'Zürich Stadt 東京 مركز', kind: 'pm2.5', value: 1, unit: 'µg/m³' }).expect(201);
    expect(created.body).toMatchObject({ station: 'Zürich Stadt 東京 مركز', unit: 'µg/m³' });
  });

  it('refuses a JSON body that is not valid UTF-8 instead of storing U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"station":"caf'), Buffer.from([0xe9]), Buffer.from('","kind":"k","value":1}')]);
    // fetch sends the bytes as they are (superagent would serialise a Buffer as JSON).
    const response = await fetch(`${context().baseUrl}/api/measurements`, { method: 'POST', headers: { authorization: `Bearer ${context().token}`, 'content-type': 'application/json' }, body });
    expect(response.status).toBe(400);
    const problem = await response.json();
    expect(problem.code).toBe('invalid_encoding');
    expect(problem.detail).toMatch(/UTF-8/);
    expect(await count()).toBe(0);
  });

  it('refuses a CSV file that is not valid UTF-8, naming the line', async () => {
    const body = Buffer.concat([Buffer.from(`${header}\nok,k,1,,\ncaf`), Buffer.from([0xe9]), Buffer.from(',k,1,,\n')]);
    const response = await fetch(`${context().baseUrl}/api/measurements/import`, { method: 'POST', headers: { authorization: `Bearer ${context().token}`, 'content-type': 'text/csv' }, body });
    expect(response.status).toBe(422);
    const problem = await response.json();
    expect(problem.code).toBe('invalid_encoding');
    expect(problem.errors).toEqual([{ line: 3, message: expect.stringMatching(/UTF-8/) }]);
    expect(await count()).toBe(0);
  });

  it('refuses control characters, bidi overrides and padding in a CSV file with field and line', async () => {
    const csv = [header, 'ok,k,1,,', 't-\u202Eevil,k,1,,', 'ok, padded,1,,', 'ok,k,1,c\u0001,'].join('\n');
    const response = await http().post('/api/measurements/import').set('Content-Type', 'text/csv').send(csv).expect(422);
    expect(response.body.errors).toEqual([
      { line: 3, field: 'station', message: expect.stringContaining('bidi') },
      { line: 4, field: 'kind', message: expect.stringContaining('spaces') },
      { line: 5, field: 'unit', message: expect.stringContaining('control') },
    ]);
    expect(await count()).toBe(0);
  });
});

describe('validation messages', () => {
  it.each([
    [{ ...sample, station: '' }, 'station', 'is required'],
    [{ ...sample, station: 'x'.repeat(101) }, 'station', 'must be at most 100 characters'],
    [{ ...sample, value: '1' }, 'value', 'must be a number'],
    [{ kind: 'k', value: 1 }, 'station', 'is required'],
    [{ ...sample, recordedAt: '2024-05-01T12:00:00' }, 'recordedAt', 'needs a time zone offset'],
    [{ ...sample, recordedAt: 'yesterday' }, 'recordedAt', 'must be an ISO-8601 date-time'],
  ])('explains %j in words people use', async (body, field, message) => {
    const response = await http().post('/api/measurements').send(body).expect(400);
    expect(response.body.errors).toEqual([{ field, message: expect.stringContaining(message) }]);
    expect(response.body.detail).not.toMatch(/Too small|Too big|expected string|Invalid input|received/);
  });
});
