// The key set's download rules against a real HTTP server that counts its downloads.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { getJson } from './get-json';
import { remoteKeySet } from './remote-key-set';

interface Issuer {
  readonly url: URL;
  downloads: number;
  /** The Accept header of the last request. */
  accept?: string;
  /** What GET /jwks answers next. */
  answer: (res: http.ServerResponse) => void;
  close(): Promise<void>;
}

async function startIssuer(): Promise<Issuer> {
  const server = http.createServer((req, res) => {
    issuer.downloads += 1;
    issuer.accept = req.headers.accept;
    issuer.answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer: Issuer = {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`),
    downloads: 0,
    answer: (res) => res.end('{}'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return issuer;
}

async function signingKey(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
  return { jwk, header: { alg: 'ES256', kid }, token };
}

const serve = (keys: JWK[]) => (res: http.ServerResponse) => res.end(JSON.stringify({ keys }));
const flatToken = (token: string) => ({ payload: token.split('.')[1], signature: token.split('.')[2] });

let issuer: Issuer;
beforeEach(async () => {
  issuer = await startIssuer();
});
afterEach(() => issuer.close());

describe('remoteKeySet', () => {
  it('downloads once for concurrent first uses and is fresh after', async () => {
    const first = await signingKey('one');
    issuer.answer = serve([first.jwk]);
    const set = remoteKeySet(issuer.url);
    expect(set.fresh).toBe(false);
    await Promise.all([1, 2, 3].map(() => set.getKey(first.header, flatToken(first.token))));
    expect(issuer.downloads).toBe(1);
    expect(set.fresh).toBe(true);
  });

  it('asks again for an unknown key only once the cooldown has passed', async () => {
    const [first, rotated] = [await signingKey('one'), await signingKey('two')];
    issuer.answer = serve([first.jwk]);
    const set = remoteKeySet(issuer.url, { cooldownMs: 300 });
    await set.getKey(first.header, flatToken(first.token));
    issuer.answer = serve([first.jwk, rotated.jwk]);
    await expect(set.getKey(rotated.header, flatToken(rotated.token))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect(issuer.downloads).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await expect(set.getKey(rotated.header, flatToken(rotated.token))).resolves.toBeDefined();
    expect(issuer.downloads).toBe(2);
  });

  it('downloads a set older than maxAgeMs again before using it', async () => {
    const first = await signingKey('one');
    issuer.answer = serve([first.jwk]);
    const set = remoteKeySet(issuer.url, { maxAgeMs: 100 });
    await set.getKey(first.header, flatToken(first.token));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(set.fresh).toBe(false);
    await set.getKey(first.header, flatToken(first.token));
    expect(issuer.downloads).toBe(2);
  });

  it('refuses an answer that is not 200, and a document that is not a key set', async () => {
    const first = await signingKey('one');
    issuer.answer = (res) => {
      res.statusCode = 302;
      res.setHeader('Location', '/elsewhere');
      res.end();
    };
    await expect(remoteKeySet(issuer.url).getKey(first.header, flatToken(first.token))).rejects.toThrow('got 302');
    issuer.answer = (res) => res.end('{"keys": "none"}');
    await expect(remoteKeySet(issuer.url).getKey(first.header, flatToken(first.token))).rejects.toBeInstanceOf(errors.JWKSInvalid);
  });
});

describe('getJson', () => {
  it('gives up after its timeout', async () => {
    issuer.answer = () => undefined;
    await expect(getJson(issuer.url, { timeoutMs: 100, accept: 'application/json' })).rejects.toThrow('no answer within 100 ms');
  });

  it('refuses a body over 1 MiB and one that is not JSON', async () => {
    issuer.answer = (res) => res.end(`"${'x'.repeat(1024 * 1024)}"`);
    await expect(getJson(issuer.url, { timeoutMs: 5000, accept: 'application/json' })).rejects.toThrow('larger than 1048576 bytes');
    issuer.answer = (res) => res.end('<html>');
    await expect(getJson(issuer.url, { timeoutMs: 5000, accept: 'application/json' })).rejects.toThrow('the answer is not JSON');
  });

  it('answers a 200 with its parsed body and sends the Accept header it is given', async () => {
    issuer.answer = (res) => res.end('{"ok": true}');
    await expect(getJson(issuer.url, { timeoutMs: 5000, accept: 'application/jwk-set+json' })).resolves.toEqual({ status: 200, body: { ok: true } });
    expect(issuer.accept).toBe('application/jwk-set+json');
  });
});
