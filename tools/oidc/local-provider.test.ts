// The local provider is what the API and front tests trust: check it issues what they rely on
// (signed ES256 JWT access tokens with the roles, a login that checks passwords, key rotation).
import crypto from 'node:crypto';
import { LOCAL_API_AUDIENCE, LOCAL_USERS, OTHER_AUDIENCE } from './local-identities';
import { type LocalOidcProvider, startLocalOidcProvider } from './local-provider';

let provider: LocalOidcProvider;
beforeAll(async () => {
  provider = await startLocalOidcProvider();
});
afterAll(() => provider?.stop());

interface Jwks { keys: Array<crypto.JsonWebKey & { kid: string }> }
const part = (token: string, index: number) => JSON.parse(Buffer.from(token.split('.')[index], 'base64url').toString()) as Record<string, unknown>;
const jwks = async () => (await (await fetch(`${provider.issuer}/jwks`)).json()) as Jwks;

/** Verifies the ES256 signature with Node's own crypto against the published keys. */
async function verifiedClaims(token: string): Promise<Record<string, unknown>> {
  const header = part(token, 0);
  const key = (await jwks()).keys.find((k) => k.kid === header.kid);
  if (!key) throw new Error(`kid ${String(header.kid)} is not published`);
  const [h, p, s] = token.split('.');
  const ok = crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key: crypto.createPublicKey({ key, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!ok) throw new Error('bad signature');
  return part(token, 1);
}

test('a machine client gets a signed at+jwt for the API with its groups and its id as subject', async () => {
  const token = await provider.machineToken('station-uploader');
  expect(part(token, 0)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
  expect(await verifiedClaims(token)).toMatchObject({
    iss: provider.issuer,
    aud: LOCAL_API_AUDIENCE,
    sub: 'station-uploader',
    groups: ['ecodata-editors'],
  });
});

test('each local user signs in through the login form and gets their groups', async () => {
  for (const user of Object.values(LOCAL_USERS)) {
    const claims = await verifiedClaims(await provider.userToken(user.login as keyof typeof LOCAL_USERS));
    expect(claims).toMatchObject({ sub: user.login, preferred_username: user.login, groups: user.groups, aud: LOCAL_API_AUDIENCE });
  }
});

test('tokens for another resource carry that audience', async () => {
  expect(await verifiedClaims(await provider.machineToken('readonly-reporter', OTHER_AUDIENCE))).toMatchObject({ aud: OTHER_AUDIENCE });
});

test('the short-lived client gets a 2-second token', async () => {
  const claims = await verifiedClaims(await provider.machineToken('short-lived-reporter'));
  expect(Number(claims.exp) - Number(claims.iat)).toBe(2);
});

test('a wrong password is refused at the login form', async () => {
  const authorize = new URL(`${provider.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: 'token-helper', response_type: 'code', redirect_uri: 'http://127.0.0.1/token-helper/callback', scope: 'openid',
    code_challenge: crypto.createHash('sha256').update('x'.repeat(43)).digest('base64url'), code_challenge_method: 'S256',
  }).toString();
  const started = await fetch(authorize, { redirect: 'manual' });
  const cookie = started.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const interaction = new URL(started.headers.get('location') ?? '', provider.issuer);
  const refused = await fetch(`${interaction}/login`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ login: 'editor', password: 'not-the-password' }),
  });
  expect(refused.status).toBe(401);
  expect(await refused.text()).toContain('wrong password');
});

test('rotating keys signs with a new kid; without keepPrevious the old key is no longer published', async () => {
  const before = part(await provider.machineToken('readonly-reporter'), 0).kid;
  await provider.rotateKeys({ keepPrevious: true });
  const after = part(await provider.machineToken('readonly-reporter'), 0).kid;
  expect(after).not.toBe(before);
  expect((await jwks()).keys.map((k) => k.kid)).toEqual([after, before]);
  await provider.rotateKeys();
  expect((await jwks()).keys.map((k) => k.kid)).not.toContain(before);
});
