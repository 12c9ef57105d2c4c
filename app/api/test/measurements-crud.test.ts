import { useTestApp } from './support/per-file';

const context = useTestApp();
const http = () => context().http();
const sample = { station: 'berlin-mitte', kind: 'temperature', value: 21.5, unit: 'celsius', recordedAt: '2024-05-01T12:00:00.000Z' };

async function create(body: object = sample) {
  const response = await http().post('/api/measurements').send(body).expect(201);
  return response;
}

describe('measurement CRUD', () => {
  it('creates a measurement and returns it with Location, ETag and version 1', async () => {
    const response = await create();
    expect(response.body).toEqual({
      id: '1',
      ...sample,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      version: 1,
      // The subject of the station-uploader machine client's token (test/support/oidc.ts).
      createdBy: 'station-uploader',
      updatedBy: 'station-uploader',
    });
    expect(response.headers.location).toBe('/api/measurements/1');
    expect(response.headers.etag).toBe('"1"');
  });

  it('defaults recordedAt to the current time and unit to null', async () => {
    const before = Date.now();
    const response = await create({ station: 's', kind: 'pm25', value: 3 });
    expect(response.body.unit).toBeNull();
    const recordedAt = Date.parse(response.body.recordedAt);
    expect(recordedAt).toBeGreaterThanOrEqual(before - 1000);
    expect(recordedAt).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('normalises a recordedAt with an offset to UTC', async () => {
    const response = await create({ ...sample, recordedAt: '2024-05-01T14:00:00+02:00' });
    expect(response.body.recordedAt).toBe('2024-05-01T12:00:00.000Z');
  });

  it('returns timestamps exactly as toISOString prints them, at the edges of the allowed range too', async () => {
    for (const recordedAt of ['1900-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z', '2024-02-29T01:02:03.045Z']) {
      const created = (await create({ ...sample, recordedAt })).body;
      const read = (await http().get(`/api/measurements/${created.id}`).expect(200)).body;
      expect(read.recordedAt).toBe(recordedAt);
      // Server-set timestamps: the same format, i.e. they survive a Date round trip unchanged.
      expect(read.createdAt).toBe(new Date(read.createdAt).toISOString());
      expect(read.updatedAt).toBe(new Date(read.updatedAt).toISOString());
    }
  });

  it('reads a measurement back by id with its ETag', async () => {
    const { body: created } = await create();
    const response = await http().get(`/api/measurements/${created.id}`).expect(200);
    expect(response.body).toEqual(created);
    expect(response.headers.etag).toBe('"1"');
  });

  it('answers 404 problem+json for an id that does not exist', async () => {
    const response = await http().get('/api/measurements/42').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'not_found', type: 'https://ecodata.example.com/problems/not_found' });
  });

  it('answers 400 for a malformed id and 404 for an id beyond bigint', async () => {
    await http().get('/api/measurements/abc').expect(400);
    await http().get('/api/measurements/0').expect(400);
    await http().get('/api/measurements/9999999999999999999').expect(404);
  });

  it('replaces a measurement when If-Match carries the current version', async () => {
    const { body: created } = await create();
    const response = await http()
      .put(`/api/measurements/${created.id}`)
      .set('If-Match', '"1"')
      .send({ station: 'hamburg', kind: 'temperature', value: 10 })
      .expect(200);
    expect(response.body).toMatchObject({ id: created.id, station: 'hamburg', value: 10, unit: null, version: 2, recordedAt: sample.recordedAt });
    expect(response.headers.etag).toBe('"2"');
  });

  it.each(['"1"', '*'])('accepts If-Match %s', async (ifMatch) => {
    const { body: created } = await create();
    await http().put(`/api/measurements/${created.id}`).set('If-Match', ifMatch).send(sample).expect(200);
  });

  it('rejects a PUT without If-Match with 428 and changes nothing', async () => {
    const { body: created } = await create();
    const response = await http().put(`/api/measurements/${created.id}`).send({ ...sample, value: 99 }).expect(428);
    expect(response.body.code).toBe('precondition_required');
    expect((await http().get(`/api/measurements/${created.id}`)).body).toEqual(created);
  });

  it('rejects a PUT with a stale version with 412 version_conflict and changes nothing', async () => {
    const { body: created } = await create();
    await http().put(`/api/measurements/${created.id}`).set('If-Match', '"1"').send({ ...sample, value: 1 }).expect(200);
    const response = await http().put(`/api/measurements/${created.id}`).set('If-Match', '"1"').send({ ...sample, value: 2 }).expect(412);
    expect(response.body.code).toBe('version_conflict');
    expect(response.headers.etag).toBe('"2"');
    expect((await http().get(`/api/measurements/${created.id}`)).body.value).toBe(1);
  });

  it('lets exactly one of two concurrent updates with the same version win', async () => {
    const { body: created } = await create();
    const attempts = await Promise.all(
      [1, 2].map((value) => http().put(`/api/measurements/${created.id}`).set('If-Match', '"1"').send({ ...sample, value })),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([200, 412]);
    const winner = attempts.find((r) => r.status === 200)!;
    expect((await http().get(`/api/measurements/${created.id}`)).body.value).toBe(winner.body.value);
  });

  it('rejects an unparseable If-Match with 400', async () => {
    const { body: created } = await create();
    await http().put(`/api/measurements/${created.id}`).set('If-Match', 'abc').send(sample).expect(400);
  });

  it('answers 404 when replacing a measurement that does not exist', async () => {
    await http().put('/api/measurements/77').set('If-Match', '"1"').send(sample).expect(404);
  });

  it('deletes a measurement with If-Match "1" or *', async () => {
    const first = await create();
    const second = await create();
    await http().delete(`/api/measurements/${first.body.id}`).set('If-Match', '*').expect(204);
    await http().delete(`/api/measurements/${second.body.id}`).set('If-Match', '"1"').expect(204);
    await http().get(`/api/measurements/${first.body.id}`).expect(404);
    await http().get(`/api/measurements/${second.body.id}`).expect(404);
  });

  it('refuses to delete with a stale If-Match (412) and keeps the row', async () => {
    const { body: created } = await create();
    await http().delete(`/api/measurements/${created.id}`).set('If-Match', '"5"').expect(412);
    await http().get(`/api/measurements/${created.id}`).expect(200);
  });

  it('answers 404 when deleting a measurement that does not exist', async () => {
    await http().delete('/api/measurements/5').set('If-Match', '"1"').expect(404);
  });

  it.each([
    ['an unknown field', { ...sample, colour: 'red' }, 'unknown field'],
    ['a missing station', { kind: 'k', value: 1 }, 'station'],
    ['a string value', { ...sample, value: '1' }, 'value'],
    ['a blank kind', { ...sample, kind: '   ' }, 'kind'],
    ['a station of 101 characters', { ...sample, station: 'x'.repeat(101) }, 'station'],
    ['a NUL character', { ...sample, station: 'a\u0000b' }, 'station'],
    ['a date without offset', { ...sample, recordedAt: '2024-05-01T12:00:00' }, 'recordedAt'],
    ['a date before 1900', { ...sample, recordedAt: '1899-12-31T23:59:59Z' }, 'recordedAt'],
    ['an array body', [sample], ''],
  ])('rejects %s with 400 validation_failed', async (_name, body, mentioned) => {
    const response = await http().post('/api/measurements').send(body).expect(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.detail).toContain(mentioned);
    expect((await http().get('/api/measurements')).body.items).toEqual([]);
  });

  it('rejects malformed JSON with 400 invalid_json', async () => {
    const response = await http().post('/api/measurements').set('Content-Type', 'application/json').send('{"station":').expect(400);
    expect(response.body.code).toBe('invalid_json');
  });

  it('rejects a non-JSON content type with 415', async () => {
    const response = await http().post('/api/measurements').set('Content-Type', 'text/plain').send('hello').expect(415);
    expect(response.body.code).toBe('unsupported_media_type');
  });

  it('rejects a body over the limit with 413', async () => {
    const response = await http()
      .post('/api/measurements')
      .send({ ...sample, station: 'x'.repeat(70_000) })
      .expect(413);
    expect(response.body.code).toBe('payload_too_large');
  });

  it('answers 405 problem+json with Allow for a method the route does not support', async () => {
    const response = await http().patch('/api/measurements/1').send({}).expect(405);
    expect(response.body.code).toBe('method_not_allowed');
    expect(response.headers.allow).toContain('PUT');
  });

  it('answers 405 with Allow, not 501 or 400, for TRACE and for PUT on /export and /import (schemathesis found these)', async () => {
    for (const call of [http().trace('/api/measurements'), http().put('/api/measurements/export'), http().delete('/api/measurements/import')]) {
      const response = await call.expect(405);
      expect(response.body.code).toBe('method_not_allowed');
      expect(response.headers.allow).toMatch(/GET|POST/);
    }
  });

  it('answers 404 problem+json for an unknown path', async () => {
    const response = await http().get('/nope').expect(404);
    expect(response.body.code).toBe('not_found');
  });
});
