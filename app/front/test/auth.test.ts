// Sign-in, roles, session and sign-out over HTTP (no browser) against the real front, the real
// API and PostgreSQL, and the local OpenID provider (the real oidc-provider library). Users'
// access tokens live 5 s here, less than the front's 30 s refresh margin: every request with a
// session refreshes it, so refresh is exercised all the time. The front trusts its proxy here
// (TRUST_PROXY=true, as behind the gateway); plain requests carry no X-Forwarded-Proto.
import pg from 'pg';
import request from 'supertest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { SealedCookie } from '../src/auth/sealed-cookie';
import { SESSION_COOKIE } from '../src/auth/session';
import { type Stack, startStack, TEST_SESSION_SECRET } from './e2e/stack';
import { CookieJar, send, signInOverHttp } from './support/http-session';

let stack: Stack;
let db: pg.Client;

beforeAll(async () => {
  stack = await startStack({ userAccessTokenTtlSeconds: 5, trustProxy: true });
  db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
}, 120_000);

afterAll(async () => {
  await db?.end();
  await stack?.stop();
});

/** What the session cookie holds, opened with the test's secret (the tests may look inside). */
async function sessionIn(jar: CookieJar): Promise<{ sub: string; at: string; rt?: string; idt?: string }> {
  const opened = await new SealedCookie<{ sub: string; at: string; rt?: string; idt?: string }>(TEST_SESSION_SECRET, 'session').open(jar.get(SESSION_COOKIE));
  if (!opened) throw new Error('no readable session cookie');
  return opened;
}

const count = async () => Number((await db.query('SELECT count(*) FROM measurements')).rows[0].count);
const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

async function page(jar: CookieJar, path: string, init?: RequestInit): Promise<{ response: Response; html: string }> {
  const response = await send(jar, `${stack.frontUrl}${path}`, init);
  return { response, html: await response.text() };
}

function postForm(jar: CookieJar, path: string, fields: Record<string, string>) {
  return page(jar, path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

describe('signing in', () => {
  it('sends a visitor to the provider with PKCE S256, state, nonce, the API as resource and the scopes', async () => {
    const first = await request(stack.frontUrl).get('/measurements?station=x');
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/auth/sign-in?returnTo=%2Fmeasurements%3Fstation%3Dx');
    const signIn = await request(stack.frontUrl).get(first.headers.location);
    expect(signIn.status).toBe(302);
    const to = new URL(signIn.headers.location);
    expect(`${to.origin}`).toBe(stack.provider.issuer);
    const q = to.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('ecodata-front');
    expect(q.get('redirect_uri')).toBe(`${stack.frontUrl}/auth/callback`);
    expect(q.get('scope')).toBe('openid profile offline_access');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(q.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(q.get('resource')).toBe('https://api.ecodata.local');
    expect(String(signIn.headers['set-cookie'])).toMatch(/^ecodata_sign_in=[^;]+; path=\/auth\/; expires=[^;]+; samesite=lax; httponly$/);
  });

  it('signs an editor in through the login form, back to the page asked for, in a small encrypted cookie', async () => {
    const { jar, landedOn, status } = await signInOverHttp(stack.frontUrl, 'editor', '/stations');
    expect([landedOn, status]).toEqual(['/stations', 200]);
    const session = jar.get(SESSION_COOKIE)!;
    console.log(`session cookie with real tokens: ${session.length} bytes`);
    expect(session.length).toBeLessThan(3500);
    expect(session.split('.')).toHaveLength(5);
    const { html } = await page(jar, '/measurements');
    expect(html).toContain('Signed in as <strong>Eddie Editor (local)</strong>');
    expect(html).toContain('href="/measurements/new"');
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/ with a bounded lifetime, refreshed with the refresh token', async () => {
    const { jar } = await signInOverHttp(stack.frontUrl, 'viewer');
    const before = await sessionIn(jar);
    const response = await send(jar, `${stack.frontUrl}/measurements`);
    expect(response.status).toBe(200);
    // 5 s access tokens: this request refreshed the session, so its cookie is set again.
    const header = response.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
    expect(header).toMatch(/; path=\/; expires=[^;]+; samesite=lax; httponly$/);
    const expires = Date.parse(/expires=([^;]+)/.exec(header)![1]);
    expect(expires - Date.now()).toBeGreaterThan(7 * 3600_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(8 * 3600_000);
    const after = await sessionIn(jar);
    expect(after.at).not.toBe(before.at);
    expect(after.sub).toBe('viewer');
  });

  it('holds an access token for the API (audience, JWT access token, groups) and the ID token', async () => {
    const { jar } = await signInOverHttp(stack.frontUrl, 'editor');
    const session = await sessionIn(jar);
    const header = decodeProtectedHeader(session.at);
    const claims = decodeJwt(session.at);
    expect(header.typ).toBe('at+jwt');
    expect(claims.aud).toBe('https://api.ecodata.local');
    expect(claims.sub).toBe('editor');
    expect(claims.groups).toEqual(['ecodata-editors']);
    expect(decodeJwt(session.idt!).aud).toBe('ecodata-front');
    expect(session.rt).toBeTruthy();
  });

  it('refuses a callback without the sign-in cookie, and one with a forged state', async () => {
    const lost = await request(stack.frontUrl).get('/auth/callback?code=abc&state=xyz');
    expect(lost.status).toBe(400);
    expect(lost.text).toContain('This sign-in expired or was started in another browser');
    const signIn = await request(stack.frontUrl).get('/auth/sign-in');
    const cookie = String(signIn.headers['set-cookie']).split(';')[0];
    const forged = await request(stack.frontUrl).get('/auth/callback?code=abc&state=forged').set('Cookie', cookie);
    expect(forged.status).toBe(400);
    expect(forged.text).toContain('The sign-in could not be completed');
    const set = ([] as string[]).concat(forged.headers['set-cookie'] ?? []);
    expect(set.filter((c) => c.startsWith(`${SESSION_COOKIE}=`) && !c.startsWith(`${SESSION_COOKIE}=;`))).toEqual([]);
  });

  it('treats a tampered session cookie as no session', async () => {
    const { jar } = await signInOverHttp(stack.frontUrl, 'editor');
    const value = jar.get(SESSION_COOKIE)!;
    const tampered = `${value.slice(0, -3)}${value.endsWith('A') ? 'B' : 'A'}${value.slice(-2)}`;
    const response = await request(stack.frontUrl).get('/measurements').set('Cookie', `${SESSION_COOKIE}=${tampered}`);
    expect(response.status).toBe(302);
    expect(response.headers.location).toMatch(/^\/auth\/sign-in/);
  });
});

describe('behind the TLS gateway (TRUST_PROXY=true, X-Forwarded-Proto: https)', () => {
  it('marks every cookie Secure and sends HSTS', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const { responses, landedOn } = await signInOverHttp(stack.frontUrl, 'editor', '/measurements', https);
    expect(landedOn).toBe('/measurements');
    const front = responses.filter((r) => r.url.startsWith(stack.frontUrl));
    const cookies = front.flatMap((r) => r.headers.getSetCookie());
    expect(cookies.map((c) => c.split('=')[0]).sort()).toEqual(expect.arrayContaining(['ecodata_csrf', 'ecodata_session', 'ecodata_sign_in']));
    for (const cookie of cookies) expect(cookie).toMatch(/; secure(;|$)/);
    for (const response of front) expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
  });

  it('sends neither over plain HTTP', async () => {
    const { responses } = await signInOverHttp(stack.frontUrl, 'editor');
    const front = responses.filter((r) => r.url.startsWith(stack.frontUrl));
    for (const cookie of front.flatMap((r) => r.headers.getSetCookie())) expect(cookie).not.toMatch(/secure/);
    for (const response of front) expect(response.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('roles', () => {
  it('lets an editor add a measurement', async () => {
    const { jar } = await signInOverHttp(stack.frontUrl, 'editor');
    const form = await page(jar, '/measurements/new');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.html)![1];
    const before = await count();
    const saved = await postForm(jar, '/measurements', { _csrf: csrfOf(form.html), idempotencyKey: key, station: 'auth-editor', kind: 't', value: '1' });
    expect(saved.response.status).toBe(303);
    expect(await count()).toBe(before + 1);
  });

  it('offers a viewer no write action, and refuses a direct post with a 403 page that says why', async () => {
    const { jar } = await signInOverHttp(stack.frontUrl, 'viewer');
    const list = await page(jar, '/measurements');
    expect(list.response.status).toBe(200);
    expect(list.html).toContain('Signed in as <strong>Vera Viewer (local)</strong>');
    expect(list.html).not.toMatch(/href="\/(measurements\/new|import)"|\/edit"|\/delete"/);
    const form = await page(jar, '/measurements/new');
    expect(form.response.status).toBe(403);
    const before = await count();
    const refused = await postForm(jar, '/measurements', { _csrf: csrfOf(list.html), station: 'auth-viewer', kind: 't', value: '1' });
    expect(refused.response.status).toBe(403);
    expect(refused.html).toContain('with the viewer role, which may read measurements but not add, edit, delete or import them');
    expect(await count()).toBe(before);
  });

  it('tells an outsider they have no role, and shows nothing else', async () => {
    const { status, jar } = await signInOverHttp(stack.frontUrl, 'outsider');
    expect(status).toBe(403);
    const { response, html } = await page(jar, '/stations');
    expect(response.status).toBe(403);
    expect(html).toContain('your account has no role in EcoData');
    expect(html).toContain('Sign out');
  });

  it('still refuses a post without a CSRF token from a signed-in editor', async () => {
    const { jar } = await signInOverHttp(stack.frontUrl, 'editor');
    const refused = await postForm(jar, '/measurements', { station: 'auth-csrf', kind: 't', value: '1' });
    expect(refused.response.status).toBe(403);
    expect(refused.html).toContain('This form has expired or did not come from this site');
  });
});

describe('signing out', () => {
  it('needs the CSRF token, revokes the refresh token, ends the provider session, and the old cookie stops working', async () => {
    const { jar } = await signInOverHttp(stack.frontUrl, 'editor');
    const oldSession = jar.get(SESSION_COOKIE)!;
    const list = await page(jar, '/measurements');
    const replayed = () => request(stack.frontUrl).get('/measurements').set('Cookie', `${SESSION_COOKIE}=${oldSession}`);
    // Before sign-out the old cookie still works: its refresh token is good.
    expect((await replayed()).status).toBe(200);
    expect((await postForm(jar, '/auth/sign-out', {})).response.status).toBe(403);
    const out = await postForm(jar, '/auth/sign-out', { _csrf: csrfOf(list.html) });
    expect(out.response.status).toBe(303);
    const logout = new URL(out.response.headers.get('location')!);
    expect(logout.origin).toBe(stack.provider.issuer);
    expect(logout.searchParams.get('post_logout_redirect_uri')).toBe(`${stack.frontUrl}/`);
    expect(logout.searchParams.get('id_token_hint')).toMatch(/^ey/);
    expect(jar.get(SESSION_COOKIE)).toBeUndefined();
    // The old cookie, replayed: its access token is due for refresh, the revoked refresh token is
    // refused, so the session is over.
    const replay = await replayed();
    expect(replay.status).toBe(302);
    expect(replay.headers.location).toMatch(/^\/auth\/sign-in/);
  });
});
