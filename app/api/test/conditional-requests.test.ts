// Conditional requests as RFC 9110 section 13 defines them: If-Match with strong comparison,
// If-None-Match (weak comparison), Last-Modified, and 428 (RFC 6585) when a precondition is needed.
import { useTestApp } from './support/per-file';

const context = useTestApp();
const http = () => context().http();
const sample = { station: 'berlin-mitte', kind: 'temperature', value: 21.5, unit: 'celsius', recordedAt: '2024-05-01T12:00:00.000Z' };
const create = async () => (await http().post('/api/measurements').send(sample).expect(201)).body as { id: string; updatedAt: string };
const put = (id: string, headers: Record<string, string>) => http().put(`/api/measurements/${id}`).set(headers).send({ ...sample, value: 1 });

describe('If-Match on PUT and DELETE', () => {
  it.each(['"1"', '"7", "1"', '"x","1"', '*', '"1" , '])('matches %s against version 1', async (ifMatch) => {
    const { id } = await create();
    await put(id, { 'If-Match': ifMatch }).expect(200);
  });

  it.each(['W/"1"', '"2"', '"01"', '"abc"', 'W/"1", "2"', '""'])('answers 412 for the well-formed non-matching %s and changes nothing', async (ifMatch) => {
    const { id } = await create();
    const response = await put(id, { 'If-Match': ifMatch }).expect(412);
    expect(response.body.code).toBe('version_conflict');
    expect(response.headers.etag).toBe('"1"');
    expect((await http().get(`/api/measurements/${id}`)).body.version).toBe(1);
  });

  it.each(['1', 'abc', '"unterminated', 'W/1', '"1" "2"', '"a"b"'])('answers 400 for %s, which is not an entity-tag list', async (ifMatch) => {
    const { id } = await create();
    const response = await put(id, { 'If-Match': ifMatch }).expect(400);
    expect(response.body.errors[0].field).toBe('If-Match');
  });

  it('requires If-Match on DELETE with 428 and keeps the row', async () => {
    const { id } = await create();
    const response = await http().delete(`/api/measurements/${id}`).expect(428);
    expect(response.body.code).toBe('precondition_required');
    await http().get(`/api/measurements/${id}`).expect(200);
    await http().delete(`/api/measurements/${id}`).set('If-Match', 'W/"1"').expect(412);
    await http().delete(`/api/measurements/${id}`).set('If-Match', '"1"').expect(204);
  });

  it('answers 412 to If-None-Match: * on a PUT to an existing measurement', async () => {
    const { id } = await create();
    await put(id, { 'If-None-Match': '*' }).expect(412);
    await put(id, { 'If-None-Match': '*', 'If-Match': '"1"' }).expect(412);
    expect((await http().get(`/api/measurements/${id}`)).body.version).toBe(1);
  });
});

describe('headers sent empty', () => {
  it('treats an empty If-None-Match or Idempotency-Key as malformed (400), not as absent', async () => {
    const { id } = await create();
    await http().get(`/api/measurements/${id}`).set('If-None-Match', '').expect(400);
    await http().post('/api/measurements').set('Idempotency-Key', '').send(sample).expect(400);
  });
});

describe('conditional GET', () => {
  it('sends Last-Modified from updatedAt and answers If-None-Match with 304 and the ETag', async () => {
    const { id, updatedAt } = await create();
    const first = await http().get(`/api/measurements/${id}`).expect(200);
    expect(first.headers['last-modified']).toBe(new Date(updatedAt).toUTCString());
    for (const tag of ['"1"', 'W/"1"', '"9", "1"', '*']) {
      const response = await http().get(`/api/measurements/${id}`).set('If-None-Match', tag).expect(304);
      expect(response.headers.etag).toBe('"1"');
      expect(response.text ?? '').toBe('');
    }
    await http().get(`/api/measurements/${id}`).set('If-None-Match', '"2"').expect(200);
  });
});

describe('the OpenAPI document', () => {
  it('describes If-Match as entity-tags only (no weak or bare forms) and DELETE as needing it', async () => {
    const document = (await http().get('/openapi.json').expect(200)).body;
    const item = document.paths['/api/measurements/{id}'];
    const text = JSON.stringify(item);
    expect(text).not.toContain('W/\\"3\\"');
    expect(text).not.toContain('bare');
    const ifMatch = item.delete.parameters.find((p: { name: string }) => p.name === 'If-Match');
    expect(ifMatch.required).toBe(true);
    expect(item.delete.responses['428']).toBeDefined();
    expect(item.get.responses['304']).toBeDefined();
  });
});
