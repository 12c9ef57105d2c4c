// Bearer tokens against the REAL local OpenID provider (tools/oidc, started once per run by
// globalSetup): each role's allowed and refused actions, and every kind of bad token refused
// with 401 and an RFC 6750 challenge. A refused request changes nothing.
import crypto from 'node:crypto';
import { SignJWT } from 'jose';
import { OTHER_AUDIENCE } from '../../../tools/oidc/local-identities';
import { createTestApp } from './support/app';
import { machineToken, testIssuer, userToken } from './support/oidc';
import { useTestApp, withToken } from './support/per-file';

const context = useTestApp();
const http = () => context().http();
const sample = { station: 'berlin-mitte', kind: 'temperature', value: 21.5, unit: 'celsius', recordedAt: '2024-05-01T12:00:00.000Z' };
const csv = 'station,kind,value,unit,recordedAt\na,k,1,,2024-01-01T00:00:00Z\n';

const part = (token: string, index: number) => JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString()) as Record<string, unknown>;
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function snapshot(): Promise<string> {
  const { rows } = await context().api.db.query<{ digest: string }>({
    text: "SELECT count(*) || ':' || coalesce(md5(string_agg(id || station || kind || value || coalesce(unit, '') || recorded_at || version || coalesce(created_by, '') || coalesce(updated_by, ''), ',' ORDER BY id)), '') AS digest FROM measurements",
  });
  return rows[0].digest;
}

/** Every write route, against the measurement `id` at version 1. */
function writes(client: ReturnType<typeof withToken>, id: string) {
  return [
    ['POST /api/measurements', () => client.post('/api/measurements').send(sample)],
    ['POST /api/measurements/import', () => client.post('/api/measurements/import').set('Content-Type', 'text/csv').send(csv)],
    ['PUT /api/measurements/:id', () => client.put(`/api/measurements/${id}`).set('If-Match', '"1"').send({ ...sample, value: 1 })],
    ['DELETE /api/measurements/:id', () => client.delete(`/api/measurements/${id}`).set('If-Match', '"1"')],
    ['PATCH /api/measurements/:id', () => client.patch(`/api/measurements/${id}`).send({})],
  ] as const;
}

function reads(client: ReturnType<typeof withToken>, id: string) {
  return [
    ['GET /api/measurements', () => client.get('/api/measurements')],
    ['GET /api/measurements/:id', () => client.get(`/api/measurements/${id}`)],
    ['HEAD /api/measurements/:id', () => client.head(`/api/measurements/${id}`)],
    ['GET /api/measurements/export', () => client.get('/api/measurements/export')],
    ['GET /api/stats', () => client.get('/api/stats')],
  ] as const;
}

async function existing(): Promise<string> {
  return (await http().post('/api/measurements').send(sample).expect(201)).body.id;
}

function expectChallenge(response: { status: number; headers: Record<string, string>; body: { code?: string } }, status: number, error?: string) {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const challenge = response.headers['www-authenticate'];
  expect(challenge).toMatch(/^Bearer realm="ecodata-api"/);
  if (error) {
    expect(challenge).toContain(`error="${error}"`);
    expect(challenge).toMatch(/error_description="[^"]+"/);
  } else {
    expect(challenge).toBe('Bearer realm="ecodata-api"');
  }
  expect(response.body.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
}

describe('an editor', () => {
  it('signed in through the login form can create, edit, import and delete, and is named as the author', async () => {
    const editor = context().as(userToken('editor'));
    const created = (await editor.post('/api/measurements').send(sample).expect(201)).body;
    expect(created).toMatchObject({ createdBy: 'editor', updatedBy: 'editor' });
    const machine = (await http().post('/api/measurements').send(sample).expect(201)).body;
    const edited = (await editor.put(`/api/measurements/${machine.id}`).set('If-Match', '"1"').send({ ...sample, value: 2 }).expect(200)).body;
    expect(edited).toMatchObject({ createdBy: 'station-uploader', updatedBy: 'editor', value: 2 });
    await editor.post('/api/measurements/import').set('Content-Type', 'text/csv').send(csv).expect(201, { imported: 1 });
    const imported = (await editor.get('/api/measurements?station=a').expect(200)).body.items[0];
    expect(imported).toMatchObject({ createdBy: 'editor', updatedBy: 'editor' });
    await editor.delete(`/api/measurements/${created.id}`).set('If-Match', '"1"').expect(204);
  });
});

describe.each([
  ['the viewer user', () => userToken('viewer')],
  ['the readonly-reporter machine client', () => machineToken('readonly-reporter')],
])('%s', (_name, token) => {
  it('can read everything', async () => {
    const id = await existing();
    const viewer = context().as(await token());
    for (const [, call] of reads(viewer, id)) await call().expect(200);
  });

  it('gets 403 insufficient_scope on every write route, and nothing changes', async () => {
    const id = await existing();
    const before = await snapshot();
    const viewer = context().as(await token());
    for (const [route, call] of writes(viewer, id)) {
      const response = await call();
      expect([route, response.status]).toEqual([route, 403]);
      expectChallenge(response, 403, 'insufficient_scope');
      expect(response.body.detail).toMatch(/viewer role may only read/);
    }
    expect(await snapshot()).toBe(before);
  });
});

describe.each([
  ['the outsider user (no group)', () => userToken('outsider')],
  ['the unmapped-client machine client', () => machineToken('unmapped-client')],
])('%s', (_name, token) => {
  it('gets 403 on reads and writes alike, and nothing changes', async () => {
    const id = await existing();
    const before = await snapshot();
    const nobody = context().as(await token());
    for (const [route, call] of [...reads(nobody, id), ...writes(nobody, id)]) {
      const response = await call();
      expect([route, response.status]).toEqual([route, 403]);
      if (!route.startsWith('HEAD')) expectChallenge(response, 403, 'insufficient_scope');
    }
    expect(await snapshot()).toBe(before);
  });
});

describe('a request without a token', () => {
  it('gets 401 with a bare Bearer challenge on every read and write, and nothing changes', async () => {
    const id = await existing();
    const before = await snapshot();
    const anonymous = context().as(undefined);
    for (const [route, call] of [...reads(anonymous, id), ...writes(anonymous, id)]) {
      const response = await call();
      expect([route, response.status]).toEqual([route, 401]);
      if (!route.startsWith('HEAD')) expectChallenge(response, 401);
    }
    expect(await snapshot()).toBe(before);
  });

  it('still gets the service info and the OpenAPI document, which declares the bearer scheme and 401/403', async () => {
    const anonymous = context().as(undefined);
    await anonymous.get('/').expect(200);
    const document = (await anonymous.get('/openapi.json').expect(200)).body;
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(document.security).toEqual([{ bearerAuth: [] }]);
    expect(document.paths['/'].get.security).toEqual([]);
    for (const operation of [document.paths['/api/measurements'].post, document.paths['/api/measurements/{id}'].get]) {
      expect(operation.responses['401'].headers['WWW-Authenticate']).toBeDefined();
      expect(operation.responses['403']).toBeDefined();
    }
  });

  it('gets 401 for an Authorization header that is not a bearer token', async () => {
    for (const value of ['Basic ZWRpdG9yOmVkaXRvci1sb2NhbC1vbmx5', 'Bearer', 'Bearer a b']) {
      const response = await http().get('/api/measurements').set('Authorization', value);
      expectChallenge(response, 401, 'invalid_token');
    }
  });
});

describe('a bad token', () => {
  /** Sends `token` to a read and a write; both 401 invalid_token with this reason, nothing changes. */
  async function expectRefused(token: string, reason: RegExp) {
    const id = await existing();
    const before = await snapshot();
    const client = context().as(token);
    for (const call of [() => client.get('/api/measurements'), () => client.put(`/api/measurements/${id}`).set('If-Match', '"1"').send({ ...sample, value: 9 })]) {
      const response = await call();
      expectChallenge(response, 401, 'invalid_token');
      expect(response.headers['www-authenticate']).toMatch(reason);
    }
    expect(await snapshot()).toBe(before);
  }

  it('that has expired is refused (the short-lived client, past exp and the 2 s clock tolerance)', async () => {
    const token = await machineToken('short-lived-reporter');
    const client = context().as(token);
    // Accepted while valid, so the verification cache holds it: it must not outlive exp.
    await client.get('/api/measurements').expect(200);
    const exp = Number(part(token, 1).exp) * 1000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, exp + 2000 + 300 - Date.now())));
    const response = await client.get('/api/measurements');
    expectChallenge(response, 401, 'invalid_token');
    expect(response.headers['www-authenticate']).toContain('error_description="the token has expired"');
  });

  it('signed by another key under the same kid is refused', async () => {
    const real = await machineToken('station-uploader');
    const { privateKey } = await crypto.webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const forged = await new SignJWT(part(real, 1)).setProtectedHeader(part(real, 0) as { alg: string }).sign(privateKey);
    await expectRefused(forged, /signature is not valid/);
  });

  it('whose payload was changed after signing is refused (a viewer promoting itself)', async () => {
    const real = await machineToken('readonly-reporter');
    const [header, , signature] = real.split('.');
    const tampered = `${header}.${encode({ ...part(real, 1), groups: ['ecodata-editors'] })}.${signature}`;
    await expectRefused(tampered, /signature is not valid/);
  });

  it('for another audience is refused', async () => {
    await expectRefused(await machineToken('station-uploader', { resource: OTHER_AUDIENCE }), /not meant for this API \(audience\)/);
  });

  it('with alg none is refused', async () => {
    const real = await machineToken('station-uploader');
    const unsigned = `${encode({ ...part(real, 0), alg: 'none' })}.${real.split('.')[1]}.`;
    await expectRefused(unsigned, /algorithm this API does not accept/);
  });

  it('signed HS256 with the issuer\'s public key as the secret is refused', async () => {
    const real = await machineToken('station-uploader');
    const jwks = (await (await fetch(`${testIssuer()}/jwks`)).json()) as { keys: Array<crypto.JsonWebKey & { kid: string }> };
    const published = jwks.keys.find((key) => key.kid === part(real, 0).kid);
    const pem = crypto.createPublicKey({ key: published as crypto.JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const confused = await new SignJWT(part(real, 1)).setProtectedHeader({ ...(part(real, 0) as object), alg: 'HS256' }).sign(Buffer.from(pem));
    await expectRefused(confused, /algorithm this API does not accept/);
  });

  it('that is not a JWT at all is refused without asking the provider', async () => {
    await expectRefused('not-a-jwt', /malformed/);
  });
});

describe('ANONYMOUS_READ', () => {
  it('when on, lets a request without a token read, but not write; a bad token is still 401', async () => {
    const id = await existing();
    const open = createTestApp(context().database.url, { auth: { ...context().api.config.auth, anonymousRead: true } });
    try {
      const anonymous = withToken(open.callback, undefined);
      for (const [, call] of reads(anonymous, id)) await call().expect(200);
      const before = await snapshot();
      for (const [route, call] of writes(anonymous, id)) {
        const response = await call();
        expect([route, response.status]).toEqual([route, 401]);
      }
      expect(await snapshot()).toBe(before);
      expectChallenge(await withToken(open.callback, 'not-a-jwt').get('/api/measurements'), 401, 'invalid_token');
      const document = (await anonymous.get('/openapi.json').expect(200)).body;
      expect(document.paths['/api/measurements'].get.security).toEqual([{}, { bearerAuth: [] }]);
    } finally {
      await open.close();
    }
  });

  it('when off (the default), answers a request without a token 401', async () => {
    expect(context().api.config.auth.anonymousRead).toBe(false);
    expectChallenge(await context().as(undefined).get('/api/stats'), 401);
  });
});

describe('an unreachable identity provider', () => {
  it('leaves the API ready, answers requests with a token 503, and still refuses requests without one', async () => {
    const issuer = `http://127.0.0.1:9`; // discard port: nothing listens
    const cut = createTestApp(context().database.url, { auth: { ...context().api.config.auth, issuer } });
    try {
      const { default: request } = await import('supertest');
      await request(cut.managementCallback).get('/readyz').expect(200);
      const response = await withToken(cut.callback, context().token).get('/api/measurements');
      expect(response.status).toBe(503);
      expect(response.body.code).toBe('service_unavailable');
      expect(response.headers['retry-after']).toBe('5');
      expectChallenge(await withToken(cut.callback, undefined).get('/api/measurements'), 401);
    } finally {
      await cut.close();
    }
  });
});
