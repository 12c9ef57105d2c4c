import { createServer } from 'node:net';
import Koa from 'koa';
import { Registry } from 'prom-client';
import request from 'supertest';
import { type AppConfig, createApp } from './app';
import { Csrf } from './http/csrf';
import { createManagementApp } from './management';

/** Pages readable without signing in (ANONYMOUS_READ), so these tests need no provider. */
function testConfig(apiUrl: string, overrides: Partial<AppConfig> = {}): AppConfig {
  return {
    apiUrl, apiTimeoutMs: 2000, appVersion: '1.2.3-test', appEnv: 'test',
    publicUrl: 'http://front.test',
    // Nothing listens there: only sign-in would ask it, and these tests never sign in.
    oidc: { issuer: 'http://127.0.0.1:9', clientId: 'front', clientSecret: 'x', apiAudience: 'https://api.test', roleClaim: 'groups', roleMapping: { editors: 'editor' } },
    sessionSecret: 'app-test-session-secret-0123456789abcdef',
    anonymousRead: true,
    ...overrides,
  };
}

/** A port nothing listens on: the API is "down" for real, not mocked. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function appWithApiDown(overrides: Partial<AppConfig> = {}) {
  const port = await closedPort();
  const registry = new Registry();
  const config = testConfig(`http://127.0.0.1:${port}`, overrides);
  return { app: createApp({ config, registry }).callback(), management: createManagementApp({ config, registry }).callback() };
}

/** A CSRF cookie and its token, as a page rendered with this secret would hand out. */
async function csrfPair(secret: string): Promise<{ cookie: string; token: string }> {
  const koa = new Koa();
  koa.use((ctx) => {
    ctx.body = new Csrf(secret).tokenFor(ctx);
  });
  const response = await request(koa.callback()).get('/');
  return { cookie: String(response.headers['set-cookie']).split(';')[0], token: response.text };
}

describe('the front when the API is down', () => {
  it('answers the measurements page with a 503 page that says the API is unavailable', async () => {
    const response = await request((await appWithApiDown()).app).get('/measurements?station=x');
    expect(response.status).toBe(503);
    expect(response.type).toBe('text/html');
    expect(response.headers['retry-after']).toBe('10');
    expect(response.text).toContain('The measurements service is unavailable');
    expect(response.text).toContain('API unreachable');
    expect(response.text).toContain('1.2.3-test');
    expect(response.text).toContain('href="/measurements?station=x"');
  });

  it('reports not ready on /readyz but alive on /healthz, on the management port', async () => {
    const { management } = await appWithApiDown();
    expect((await request(management).get('/healthz')).status).toBe(200);
    const ready = await request(management).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'api_unreachable' });
  });

  it('reports not ready while draining even before asking the API', async () => {
    const management = createManagementApp({
      config: { apiUrl: 'http://127.0.0.1:9', apiTimeoutMs: 2000 },
      registry: new Registry(),
      isDraining: () => true,
    }).callback();
    const ready = await request(management).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'draining' });
  });
});

describe('the front\'s HTTP hygiene', () => {
  it('sends the security headers on pages, redirects, errors and assets alike', async () => {
    const { app } = await appWithApiDown();
    for (const path of ['/measurements', '/measurements/new', '/no-such-page', '/static/style.css']) {
      const response = await request(app).get(path);
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' http://127.0.0.1:9; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('answers unknown addresses with a 404 page', async () => {
    const response = await request((await appWithApiDown()).app).get('/no-such-page');
    expect(response.status).toBe(404);
    expect(response.text).toContain('Page not found');
  });

  it('serves no health, readiness or metrics on the main port: they live on the management port', async () => {
    const { app, management } = await appWithApiDown();
    for (const path of ['/metrics', '/healthz', '/readyz']) {
      expect((await request(app).get(path)).status).toBe(404);
    }
    expect((await request(management).get('/metrics')).status).toBe(200);
  });

  it('refuses a form post without a CSRF token, before calling the API', async () => {
    const response = await request((await appWithApiDown()).app)
      .post('/measurements')
      .type('form')
      .send({ station: 'a', kind: 'b', value: '1' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('This form has expired or did not come from this site');
  });

  it('refuses a form post whose token was signed for another browser\'s cookie', async () => {
    const { app } = await appWithApiDown();
    const { token } = await csrfPair(testConfig('').sessionSecret);
    const response = await request(app)
      .post('/measurements')
      .set('Cookie', 'ecodata_csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      .type('form')
      .send({ _csrf: token, station: 'a', kind: 'b', value: '1' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('This form has expired');
  });

  it('refuses a valid form post from a visitor who is not signed in, even with anonymous reading on', async () => {
    const { app } = await appWithApiDown();
    const { cookie, token } = await csrfPair(testConfig('').sessionSecret);
    const response = await request(app).post('/measurements').set('Cookie', cookie).type('form')
      .send({ _csrf: token, station: 'a', kind: 'b', value: '1' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('You are not signed in, so nothing was changed.');
    expect(response.text).toContain('href="/auth/sign-in?returnTo=%2Fmeasurements"');
  });

  it('sends visitors to sign-in, back to the page they asked for, when anonymous reading is off', async () => {
    const { app } = await appWithApiDown({ anonymousRead: false });
    const response = await request(app).get('/stations?station=a%20b');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`/auth/sign-in?returnTo=${encodeURIComponent('/stations?station=a%20b')}`);
  });

  it('sends visitors to sign-in for the write forms even when anonymous reading is on', async () => {
    const { app } = await appWithApiDown();
    for (const path of ['/measurements/new', '/import', '/measurements/1/edit', '/measurements/1/delete']) {
      const response = await request(app).get(path);
      expect(response.status).toBe(302);
      expect(response.headers.location).toMatch(/^\/auth\/sign-in\?returnTo=/);
    }
  });

  it('answers 503 with an explanation when the identity provider cannot be reached', async () => {
    const { app } = await appWithApiDown();
    const response = await request(app).get('/auth/sign-in');
    expect(response.status).toBe(503);
    expect(response.text).toContain('The sign-in service cannot be reached right now');
  });

  it('offers no write action and a sign-in link to an anonymous reader', async () => {
    const { app } = await appWithApiDown();
    const page = await request(app).get('/auth/signed-out');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('href="/import"');
    expect(page.text).toContain('Sign in');
  });

  it('sends HSTS and Secure cookies only over HTTPS: X-Forwarded-Proto counts only with TRUST_PROXY', async () => {
    const trusted = (await appWithApiDown({ trustProxy: true })).app;
    const https = await request(trusted).get('/auth/signed-out').set('X-Forwarded-Proto', 'https');
    expect(https.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(String(https.headers['set-cookie'])).toMatch(/ecodata_csrf=[^;]+; path=\/; samesite=strict; secure; httponly/);
    const plain = await request(trusted).get('/auth/signed-out');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    expect(String(plain.headers['set-cookie'])).not.toContain('secure');
    const untrusted = (await appWithApiDown({ trustProxy: false })).app;
    const spoofed = await request(untrusted).get('/auth/signed-out').set('X-Forwarded-Proto', 'https');
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    expect(String(spoofed.headers['set-cookie'])).not.toContain('secure');
  });

  it('serves the stylesheet with an immutable cache header when asked by its content hash', async () => {
    const { app } = await appWithApiDown();
    const page = await request(app).get('/auth/signed-out');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.text)?.[1];
    expect(href).toMatch(/^\/static\/style\.css\?v=[\w-]{16}$/);
    const css = await request(app).get(href!);
    expect(css.status).toBe(200);
    expect(css.type).toBe('text/css');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('exposes request and API call metrics in the Prometheus format on the management port', async () => {
    const { app, management } = await appWithApiDown();
    await request(app).get('/measurements');
    const metrics = await request(management).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('front_http_request_duration_seconds_count{method="GET",route="/measurements",status="503"} 1');
    expect(metrics.text).toMatch(/front_api_call_duration_seconds_count\{operation="list",outcome="unavailable"\} 1/);
  });
});
