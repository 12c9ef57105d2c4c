import Koa from 'koa';
import request from 'supertest';
import { Csrf, CSRF_COOKIE } from './csrf';

/** A tiny app: GET hands out a token, POST ?token= says whether it verifies. */
function app(csrf: Csrf) {
  const koa = new Koa();
  koa.use((ctx) => {
    ctx.body = ctx.method === 'GET' ? csrf.tokenFor(ctx) : String(csrf.verify(ctx, ctx.query.token));
  });
  return koa.callback();
}

async function issue(csrf: Csrf) {
  const response = await request(app(csrf)).get('/');
  const cookie = String(response.headers['set-cookie']).split(';')[0];
  return { cookie, token: response.text };
}

describe('Csrf', () => {
  it('verifies the token issued with a cookie when both come back', async () => {
    const csrf = new Csrf('s'.repeat(32));
    const { cookie, token } = await issue(csrf);
    expect(cookie.startsWith(`${CSRF_COOKIE}=`)).toBe(true);
    expect((await request(app(csrf)).post(`/?token=${token}`).set('Cookie', cookie)).text).toBe('true');
  });

  it('keeps the same cookie and token while the cookie is sent back', async () => {
    const csrf = new Csrf('s'.repeat(32));
    const { cookie, token } = await issue(csrf);
    const again = await request(app(csrf)).get('/').set('Cookie', cookie);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.text).toBe(token);
  });

  it('rejects a missing cookie, a missing token, a tampered token and a token from another secret', async () => {
    const csrf = new Csrf('s'.repeat(32));
    const { cookie, token } = await issue(csrf);
    const other = await issue(new Csrf('t'.repeat(32)));
    const verify = async (query: string, cookieHeader?: string) => {
      const req = request(app(csrf)).post(`/${query}`);
      return (await (cookieHeader ? req.set('Cookie', cookieHeader) : req)).text;
    };
    expect(await verify(`?token=${token}`)).toBe('false');
    expect(await verify('', cookie)).toBe('false');
    const tampered = `${token[0] === 'A' ? 'B' : 'A'}${token.slice(1)}`;
    expect(await verify(`?token=${tampered}`, cookie)).toBe('false');
    expect(await verify(`?token=${other.token}`, other.cookie)).toBe('false');
  });

  it('accepts a token issued by another replica with the same SESSION_SECRET', async () => {
    const { cookie, token } = await issue(new Csrf('s'.repeat(32)));
    expect((await request(app(new Csrf('s'.repeat(32)))).post(`/?token=${token}`).set('Cookie', cookie)).text).toBe('true');
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => new Csrf('short')).toThrow('at least 32 characters');
  });
});
