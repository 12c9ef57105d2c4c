// Writes through the front against the real API and PostgreSQL (no browser): nothing is saved
// twice, nothing the user did not touch is changed, and a timeout says the outcome is unknown.
import pg from 'pg';
import request from 'supertest';
import { copyTimeoutMs } from '../../api/src/measurements/export';
import { openApiDocument } from '../../api/src/openapi';
import { DEFAULT_IMPORT_TIMEOUT_MS } from '../src/config';
import { SESSION_COOKIE } from '../src/auth/session';
import { type Stack, startStack } from './e2e/stack';
import { signInOverHttp } from './support/http-session';

let stack: Stack;
let db: pg.Client;
/** The editor's session cookie (signed in through the local provider's login form). */
let session: string;
/** Authorization header for calls made straight to the API. */
let api: string;

beforeAll(async () => {
  stack = await startStack({ apiTimeoutMs: 1000 });
  db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  const { jar } = await signInOverHttp(stack.frontUrl, 'editor');
  session = `${SESSION_COOKIE}=${jar.get(SESSION_COOKIE)}`;
  api = await stack.apiAuthorization();
}, 120_000);

afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

afterEach(async () => {
  await db.query('TRUNCATE measurements, idempotency_keys');
});

/** The front as the signed-in editor's browser sees it (a later .set('Cookie') replaces the session: forms add it back). */
function front() {
  const base = request(stack.frontUrl);
  return {
    get: (path: string) => base.get(path).set('Cookie', session),
    post: (path: string) => base.post(path).set('Cookie', session),
    put: (path: string) => base.put(path).set('Cookie', session),
    delete: (path: string) => base.delete(path).set('Cookie', session),
  };
}
const rows = async () => (await db.query('SELECT station, kind, value, unit, recorded_at FROM measurements ORDER BY id')).rows;

/** The API called directly, as an editor machine client (the API checks tokens once it is built to). */
function toApi() {
  const base = request(stack.apiUrl);
  return {
    get: (path: string) => base.get(path).set('Authorization', api),
    post: (path: string) => base.post(path).set('Authorization', api),
    put: (path: string) => base.put(path).set('Authorization', api),
  };
}

/** A form page's cookie and hidden fields, as a browser would keep them. */
async function openForm(path: string): Promise<{ cookie: string; hidden: Record<string, string>; html: string }> {
  const page = await front().get(path).expect(200);
  const csrf = ([] as string[]).concat(page.headers['set-cookie'] ?? []).find((c) => c.startsWith('ecodata_csrf='));
  const cookie = [session, csrf?.split(';')[0]].filter(Boolean).join('; ');
  const hidden: Record<string, string> = {};
  for (const match of page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) hidden[match[1]] = match[2];
  return { cookie, hidden, html: page.text };
}

/** A lock that makes every write to measurements wait until `release`. */
async function holdMeasurements(): Promise<{ release(): Promise<void> }> {
  const blocker = new pg.Client({ connectionString: stack.databaseUrl });
  await blocker.connect();
  await blocker.query('BEGIN');
  await blocker.query('LOCK TABLE measurements IN ACCESS EXCLUSIVE MODE');
  return {
    release: async () => {
      await blocker.query('COMMIT');
      await blocker.end();
    },
  };
}

describe('adding a measurement', () => {
  it('carries an idempotency key, so posting the same form twice saves it once', async () => {
    const form = await openForm('/measurements/new');
    expect(form.hidden.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    const fields = { ...form.hidden, station: 'twice', kind: 'temperature', value: '1.5' };
    await front().post('/measurements').set('Cookie', form.cookie).type('form').send(fields).expect(303);
    await front().post('/measurements').set('Cookie', form.cookie).type('form').send(fields).expect(303);
    expect(await rows()).toHaveLength(1);
  });

  it('says the outcome is unknown after a timeout, and a resubmission does not duplicate', async () => {
    const form = await openForm('/measurements/new');
    const fields = { ...form.hidden, station: 'slow', kind: 'temperature', value: '2' };
    const lock = await holdMeasurements();
    let page: request.Response;
    try {
      page = await front().post('/measurements').set('Cookie', form.cookie).type('form').send(fields);
    } finally {
      await lock.release();
    }
    expect(page.status).toBe(504);
    expect(page.text).toContain('may or may not have been saved');
    expect(page.text).not.toContain('nothing can be shown or saved');
    // The write committed once the lock went away.
    await waitFor(async () => (await rows()).length === 1);
    // The page offers to submit again with the same key: safe.
    const resubmit = Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(resubmit.idempotencyKey).toBe(form.hidden.idempotencyKey);
    await front().post('/measurements').set('Cookie', form.cookie).type('form').send(resubmit).expect(303);
    expect(await rows()).toHaveLength(1);
  });

  it.each([
    ['1,234', 'value'],
    ['1.234,5', 'value'],
  ])('refuses the ambiguous number %s instead of guessing', async (value, field) => {
    const form = await openForm('/measurements/new');
    const page = await front().post('/measurements').set('Cookie', form.cookie).type('form')
      .send({ ...form.hidden, station: 's', kind: 'k', value }).expect(400);
    expect(page.text).toContain(`id="field-${field}-error"`);
    expect(page.text).toMatch(/decimal point/);
    expect(await rows()).toHaveLength(0);
  });

  it('answers 400 with the field message when the API says 400', async () => {
    const form = await openForm('/measurements/new');
    const page = await front().post('/measurements').set('Cookie', form.cookie).type('form')
      .send({ ...form.hidden, station: 'x'.repeat(101), kind: 'k', value: '1' }).expect(400);
    expect(page.text).toContain('must be at most 100 characters');
  });

  it('limits the fields to the lengths the API accepts', async () => {
    const form = await openForm('/measurements/new');
    const input = (openApiDocument('test') as { components: { schemas: { MeasurementInput: { properties: Record<string, { maxLength?: number; anyOf?: Array<{ maxLength?: number }> }> } } } })
      .components.schemas.MeasurementInput.properties;
    const limit = (name: string) => input[name].maxLength ?? input[name].anyOf?.find((s) => s.maxLength)?.maxLength;
    for (const name of ['station', 'kind', 'unit']) {
      const maxlength = new RegExp(`id="field-${name}"[^>]*maxlength="(\\d+)"|maxlength="(\\d+)"[^>]*id="field-${name}"`).exec(form.html);
      expect(Number(maxlength?.[1] ?? maxlength?.[2])).toBe(limit(name));
    }
  });
});

describe('editing a measurement', () => {
  it('writes back the milliseconds of recordedAt and the exact value when the user changed neither', async () => {
    const created = await toApi().post('/api/measurements')
      .send({ station: 'ms', kind: 'k', value: 0.1 + 0.2, recordedAt: '2024-05-01T10:00:00.123Z' }).expect(201);
    const form = await openForm(`/measurements/${created.body.id}/edit`);
    const values = Object.fromEntries([...form.html.matchAll(/<input id="field-(\w+)" name="\w+" type="[\w-]+" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    await front().post(`/measurements/${created.body.id}/edit`).set('Cookie', form.cookie).type('form')
      .send({ ...form.hidden, ...values, kind: 'changed' }).expect(303);
    const stored = (await toApi().get(`/api/measurements/${created.body.id}`).expect(200)).body;
    expect(stored).toMatchObject({ kind: 'changed', recordedAt: '2024-05-01T10:00:00.123Z', value: 0.1 + 0.2 });
  });
});

describe('importing CSV', () => {
  const csv = 'station,kind,value,unit,recordedAt\na,k,1,,2024-01-01T00:00:00Z\nb,k,2,,2024-01-01T00:00:00Z\n';

  it('carries an idempotency key, so the same import form posted twice imports once', async () => {
    const form = await openForm('/import');
    expect(form.hidden.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    const post = () => front().post('/import').set('Cookie', form.cookie).field({ ...form.hidden, csv });
    await post().expect(303);
    await post().expect(303);
    expect(await rows()).toHaveLength(2);
  });

  it('waits for an import longer than for other calls: one slower than the 1 s call deadline succeeds', async () => {
    const form = await openForm('/import');
    const lock = await holdMeasurements();
    const posted = front().post('/import').set('Cookie', form.cookie).field({ ...form.hidden, csv }).then((r) => r);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await lock.release();
    expect((await posted).status).toBe(303);
    expect(await rows()).toHaveLength(2);
  });

  it('gives an import by default more time than the API allows one to take', () => {
    expect(DEFAULT_IMPORT_TIMEOUT_MS).toBeGreaterThan(copyTimeoutMs);
  });

  it('refuses an uploaded file that is not UTF-8 instead of importing U+FFFD', async () => {
    const form = await openForm('/import');
    const bytes = Buffer.concat([Buffer.from('station,kind,value,unit,recordedAt\ncaf'), Buffer.from([0xe9]), Buffer.from(',k,1,,\n')]);
    const page = await front().post('/import').set('Cookie', form.cookie).field(form.hidden).attach('file', bytes, 'latin1.csv');
    expect(page.status).toBe(422);
    expect(page.text).toMatch(/UTF-8/);
    expect(await rows()).toHaveLength(0);
  });
});

describe('deleting a measurement', () => {
  it('sends the version it showed as If-Match', async () => {
    const created = await toApi().post('/api/measurements').send({ station: 'del', kind: 'k', value: 1 }).expect(201);
    const form = await openForm(`/measurements/${created.body.id}/delete`);
    await toApi().put(`/api/measurements/${created.body.id}`).set('If-Match', '"1"').send({ station: 'del', kind: 'k', value: 2 }).expect(200);
    const page = await front().post(`/measurements/${created.body.id}/delete`).set('Cookie', form.cookie).type('form').send(form.hidden);
    expect(page.status).toBe(409);
    expect(await rows()).toHaveLength(1);
  });
});

describe('HTTP methods', () => {
  it.each([
    ['put', '/measurements', 'GET, HEAD, POST'],
    ['delete', '/measurements/1/edit', 'GET, HEAD, POST'],
    ['post', '/stations', 'GET, HEAD'],
  ] as const)('answers %s %s with 405 and Allow', async (method, path, allow) => {
    const response = await front()[method](path);
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe(allow);
  });
});

describe('charts', () => {
  it('draws one chart per unit with only that unit\'s values', async () => {
    for (const [unit, value] of [['°C', 20], ['°F', 68], ['°C', 21]] as const) {
      await toApi().post('/api/measurements').send({ station: 'mixed', kind: 'temperature', value, unit }).expect(201);
    }
    const page = await front().get('/stations?station=mixed').expect(200);
    const cards = page.text.split('<article').slice(1);
    expect(cards).toHaveLength(2);
    const celsius = cards.find((card) => card.includes('(°C)'))!;
    const fahrenheit = cards.find((card) => card.includes('(°F)'))!;
    expect(celsius).toContain('2 values from');
    expect(fahrenheit).toContain('1 value from');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
