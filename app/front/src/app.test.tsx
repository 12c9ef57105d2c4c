import { createServer } from 'node:net';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createApp } from './app';

/** A port nothing listens on: the API is "down" for real, not mocked. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function appWithApiDown() {
  const port = await closedPort();
  return createApp({
    config: { apiUrl: `http://127.0.0.1:${port}`, apiTimeoutMs: 2000, appVersion: '1.2.3-test', appEnv: 'test', csrfSecret: undefined },
    registry: new Registry(),
  }).callback();
}

describe('the front when the API is down', () => {
  it('answers the measurements page with a 503 page that says the API is unavailable', async () => {
    const response = await request(await appWithApiDown()).get('/measurements?station=x');
    expect(response.status).toBe(503);
    expect(response.type).toBe('text/html');
    expect(response.headers['retry-after']).toBe('10');
    expect(response.text).toContain('The measurements service is unavailable');
    expect(response.text).toContain('API unreachable');
    expect(response.text).toContain('1.2.3-test');
    expect(response.text).toContain('href="/measurements?station=x"');
  });

  it('reports not ready on /readyz but alive on /healthz', async () => {
    const app = await appWithApiDown();
    expect((await request(app).get('/healthz')).status).toBe(200);
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'api_unreachable' });
  });

  it('reports not ready while draining even before asking the API', async () => {
    const app = createApp({
      config: { apiUrl: 'http://127.0.0.1:9', apiTimeoutMs: 2000, appVersion: 'x', appEnv: 'test', csrfSecret: undefined },
      registry: new Registry(),
      isDraining: () => true,
    }).callback();
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'draining' });
  });
});

describe('the front\'s HTTP hygiene', () => {
  it('sends the security headers on pages, errors and assets alike', async () => {
    const app = await appWithApiDown();
    for (const path of ['/measurements/new', '/no-such-page', '/static/style.css']) {
      const response = await request(app).get(path);
      expect(response.headers['content-security-policy']).toBe(
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      );
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['referrer-policy']).toBe('same-origin');
    }
  });

  it('answers unknown addresses with a 404 page', async () => {
    const response = await request(await appWithApiDown()).get('/no-such-page');
    expect(response.status).toBe(404);
    expect(response.text).toContain('Page not found');
  });

  it('refuses a form post without a CSRF token, before calling the API', async () => {
    const response = await request(await appWithApiDown())
      .post('/measurements')
      .type('form')
      .send({ station: 'a', kind: 'b', value: '1' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('This form has expired or did not come from this site');
  });

  it('refuses a form post whose token was signed for another browser\'s cookie', async () => {
    const app = await appWithApiDown();
    const first = await request(app).get('/measurements/new');
    const token = /name="_csrf" value="([^"]+)"/.exec(first.text)?.[1];
    expect(token).toBeDefined();
    const response = await request(app)
      .post('/measurements')
      .set('Cookie', 'ecodata_csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      .type('form')
      .send({ _csrf: token, station: 'a', kind: 'b', value: '1' });
    expect(response.status).toBe(403);
  });

  it('accepts a form post with the token of its own cookie (and then finds the API down)', async () => {
    const app = await appWithApiDown();
    const first = await request(app).get('/measurements/new');
    const token = /name="_csrf" value="([^"]+)"/.exec(first.text)?.[1];
    const cookie = first.headers['set-cookie'];
    expect(String(cookie)).toMatch(/ecodata_csrf=[^;]+; path=\/; samesite=strict; httponly/);
    const response = await request(app)
      .post('/measurements')
      .set('Cookie', String(cookie).split(';')[0])
      .type('form')
      .send({ _csrf: token, station: 'a', kind: 'b', value: '1' });
    expect(response.status).toBe(503);
  });

  it('serves the stylesheet with an immutable cache header when asked by its content hash', async () => {
    const app = await appWithApiDown();
    const page = await request(app).get('/measurements/new');
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(page.text)?.[1];
    expect(href).toMatch(/^\/static\/style\.css\?v=[\w-]{16}$/);
    const css = await request(app).get(href!);
    expect(css.status).toBe(200);
    expect(css.type).toBe('text/css');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('exposes request and API call metrics in the Prometheus format', async () => {
    const app = await appWithApiDown();
    await request(app).get('/measurements');
    const metrics = await request(app).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain('front_http_request_duration_seconds_count{method="GET",route="/measurements",status="503"} 1');
    expect(metrics.text).toMatch(/front_api_call_duration_seconds_count\{operation="list",outcome="unavailable"\} 1/);
  });
});
