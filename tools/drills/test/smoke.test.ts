// The smoke drill against the real API on a real PostgreSQL, signed in through a real local
// OpenID provider (API_TOKEN: an editor machine client's token), and with the real front in
// front of it (which sends visitors without a session to that provider).
import { freePort } from '../../../app/api/test/support';
import { main } from '../src/cli';
import { captureIo } from './support/io';
import { startApiWithoutDatabase, startFront, startLocalApi, type LocalApi } from './support/local-api';

describe('smoke against a working API', () => {
  let api: LocalApi;

  beforeAll(async () => {
    api = await startLocalApi();
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('passes every step, the management port\'s included, and leaves no row behind', async () => {
    const io = captureIo({ API_TOKEN: api.token });
    const code = await main(['smoke', '--base-url', api.url, '--management-url', api.managementUrl], io);
    expect({ code, stderr: io.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(io.stdout()).toMatch(/ok {3}liveness GET \/healthz/);
    expect(io.stdout()).toMatch(/ok {3}sign-in required: POST without a token gets 401 and stores nothing/);
    expect(io.stdout()).toMatch(/ok {3}stale update PUT with an old If-Match gets 412 and changes nothing/);
    expect(io.stdout()).toMatch(/ok {3}export GET \/api\/measurements\/export returns what was imported/);
    expect(io.stdout()).toMatch(/smoke: all 13 steps passed/);
    expect(await api.count()).toBe(0);
  });

  it('fails at the first write, naming API_TOKEN, when no token is set', async () => {
    const io = captureIo({});
    const code = await main(['smoke', '--base-url', api.url], io);
    expect(code).toBe(1);
    expect(io.stderr()).toMatch(/step "sign-in required: POST without a token gets 401 and stores nothing" failed: API_TOKEN is not set/);
    expect(await api.count()).toBe(0);
  });
});

describe('smoke with the front', () => {
  let api: LocalApi;
  let front: Awaited<ReturnType<typeof startFront>>;

  beforeAll(async () => {
    const frontPort = await freePort();
    api = await startLocalApi({ frontPort });
    front = await startFront(api, frontPort);
  }, 120_000);
  afterAll(async () => {
    await front?.stop();
    await api?.stop();
  });

  it('checks the front\'s probes and that a visitor without a session is sent to sign in', async () => {
    const io = captureIo({ API_TOKEN: api.token });
    const code = await main(['smoke', '--base-url', api.url, '--management-url', api.managementUrl, '--front-url', front.url, '--front-management-url', front.managementUrl], io);
    expect({ code, stderr: io.stderr() }).toEqual({ code: 0, stderr: '' });
    expect(io.stdout()).toMatch(/ok {3}front is up and sends visitors to sign in/);
    expect(io.stdout()).toMatch(/smoke: all 14 steps passed/);
  });

  it('fails the front step when the front\'s management port does not answer', async () => {
    const io = captureIo({ API_TOKEN: api.token });
    const code = await main(['smoke', '--base-url', api.url, '--front-url', front.url, '--front-management-url', `http://127.0.0.1:${await freePort()}`], io);
    expect(code).toBe(1);
    expect(io.stderr()).toMatch(/step "front is up and sends visitors to sign in .*" failed: GET http:\/\/127.0.0.1:\d+\/healthz failed: ECONNREFUSED/);
  });
});

describe('smoke against a broken API', () => {
  it('fails at the readiness step, with exit code 1, when the API has no database', async () => {
    const api = await startApiWithoutDatabase();
    try {
      const io = captureIo({ API_TOKEN: api.token });
      const code = await main(['smoke', '--base-url', api.url, '--management-url', api.managementUrl], io);
      expect(code).toBe(1);
      expect(io.stdout()).toMatch(/ok {3}liveness GET \/healthz/);
      expect(io.stderr()).toMatch(/^smoke: step "readiness GET \/readyz" failed: GET \/readyz \(database reachable and migrated\): expected HTTP 200, got 503/);
      expect(io.stdout()).not.toMatch(/create POST/);
    } finally {
      await api.stop();
    }
  });

  it('names the update step and cleans up when the API never sees the If-Match of a PUT', async () => {
    // Only the PUT loses it: the clean-up's DELETEs need their If-Match (428 without).
    const api = await startLocalApi({ alter: (req) => req.method === 'PUT' && delete req.headers['if-match'] });
    try {
      const io = captureIo({ API_TOKEN: api.token });
      const code = await main(['smoke', '--base-url', api.url], io);
      expect(code).toBe(1);
      expect(io.stderr()).toMatch(/step "update PUT \/api\/measurements\/:id with If-Match" failed: PUT \/api\/measurements\/\d+: expected HTTP 200, got 428/);
      expect(io.stdout()).toMatch(/clean-up: removed 1 row\(s\) left by the drill/);
      expect(await api.count()).toBe(0);
    } finally {
      await api.stop();
    }
  });

  it('fails with a connection error naming the first step when nothing listens', async () => {
    const io = captureIo();
    const port = await freePort();
    const code = await main(['smoke', '--base-url', `http://127.0.0.1:${port}`, '--management-url', `http://127.0.0.1:${port}`, '--timeout-ms', '2000'], io);
    expect(code).toBe(1);
    expect(io.stderr()).toBe(`smoke: step "liveness GET /healthz" failed: GET http://127.0.0.1:${port}/healthz failed: ECONNREFUSED`);
  });
});
