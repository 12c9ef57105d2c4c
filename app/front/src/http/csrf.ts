import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';

export const CSRF_COOKIE = 'ecodata_csrf';
export const CSRF_FIELD = '_csrf';

/**
 * Signed double-submit CSRF protection: the browser holds a random value in an HttpOnly,
 * SameSite=Strict cookie; every form carries HMAC(secret, value). A forged cross-site form
 * can neither read the cookie nor compute the signature, and the server keeps no state. The
 * key is derived from SESSION_SECRET, which every replica shares: a form rendered by one replica
 * is accepted by another (a random key per process broke that with two replicas).
 */
export class Csrf {
  private readonly secret: Buffer;

  constructor(sessionSecret: string) {
    if (sessionSecret.length < 32) throw new Error('the CSRF key needs a secret of at least 32 characters');
    this.secret = Buffer.from(hkdfSync('sha256', Buffer.from(sessionSecret, 'utf8'), Buffer.alloc(0), 'ecodata-front csrf', 32));
  }

  /** The token to embed in forms for this request, issuing the cookie when it is missing. */
  tokenFor(ctx: Context): string {
    let value = ctx.cookies.get(CSRF_COOKIE);
    if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
      value = randomBytes(32).toString('base64url');
      ctx.cookies.set(CSRF_COOKIE, value, { httpOnly: true, sameSite: 'strict', secure: ctx.secure, path: '/', overwrite: true });
      // Later reads within the same request must see the new value.
      ctx.request.headers.cookie = [ctx.request.headers.cookie, `${CSRF_COOKIE}=${value}`].filter(Boolean).join('; ');
    }
    return this.sign(value);
  }

  /** True when the submitted token is the signature of this browser's cookie. */
  verify(ctx: Context, submitted: unknown): boolean {
    const value = ctx.cookies.get(CSRF_COOKIE);
    if (!value || typeof submitted !== 'string') return false;
    const expected = Buffer.from(this.sign(value));
    const actual = Buffer.from(submitted);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }

  private sign(value: string): string {
    return createHmac('sha256', this.secret).update(value).digest('base64url');
  }
}
