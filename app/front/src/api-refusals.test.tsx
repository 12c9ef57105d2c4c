// How the front shows the API's refusals (403: role insufficient, 401: token no longer
// accepted). The "API" here is a stand-in: a plain HTTP server answering problem+json the way
// the API does (issue 15 contract), because today's API in this branch does not check tokens yet;
// test/e2e covers the real API. The session is sealed with the test's secret, as the front does
// after a real sign-in (test/auth.test.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import request from 'supertest';
import { type AppConfig, createApp } from './app';
import { SealedCookie } from './auth/sealed-cookie';
import { SESSION_COOKIE } from './auth/session';

const SECRET = 'api-refusals-test-session-secret-0123456789';
let standIn: http.Server;
let apiUrl: string;
let status = 403;
const seen: Array<string | undefined> = [];

beforeAll(async () => {
  standIn = http.createServer((req, res) => {
    seen.push(req.headers.authorization);
    const problem = status === 403
      ? { type: 'about:blank', title: 'Forbidden', status: 403, detail: 'the editor role is required to change measurements' }
      : { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'the access token has expired' };
    res.writeHead(status, { 'content-type': 'application/problem+json', ...(status === 401 ? { 'www-authenticate': 'Bearer error="invalid_token"' } : {}) });
    res.end(JSON.stringify(problem));
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => standIn.close(resolve));
});

function app() {
  const config: AppConfig = {
    apiUrl, apiTimeoutMs: 2000, appVersion: 'x', appEnv: 'test', publicUrl: 'http://front.test',
    oidc: { issuer: 'http://127.0.0.1:9', clientId: 'front', clientSecret: 'x', apiAudience: 'https://api.test', roleClaim: 'groups', roleMapping: { viewers: 'viewer' } },
    sessionSecret: SECRET,
  };
  return createApp({ config, registry: new Registry() }).callback();
}

/** A viewer's session cookie whose access token is valid for an hour (no refresh needed). */
async function viewerSession(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const sealed = await new SealedCookie<object>(SECRET, 'session').seal(
    { sub: 'viewer', n: 'Vera Viewer', role: 'viewer', at: 'viewer-access-token', ate: now + 3600, end: now + 3600 },
    now + 3600,
  );
  return `${SESSION_COOKIE}=${sealed}`;
}

describe('API refusals in the front', () => {
  it('sends the user\'s access token as a bearer token and shows a 403 from the API as a page that says why', async () => {
    status = 403;
    const response = await request(app()).get('/measurements').set('Cookie', await viewerSession());
    expect(seen).toContain('Bearer viewer-access-token');
    expect(response.status).toBe(403);
    expect(response.text).toContain('Not allowed');
    expect(response.text).toContain('The measurements service refused this for Vera Viewer (viewer): the editor role is required to change measurements.');
  });

  it('ends the session when the API no longer accepts its token (401), offering to sign in again', async () => {
    status = 401;
    const response = await request(app()).get('/stations').set('Cookie', await viewerSession());
    expect(response.status).toBe(401);
    expect(response.text).toContain('no longer accepts your sign-in');
    expect(response.text).toContain('href="/auth/sign-in?returnTo=%2Fstations"');
    expect(String(response.headers['set-cookie'])).toMatch(new RegExp(`${SESSION_COOKIE}=;.*expires=Thu, 01 Jan 1970`));
  });
});
