import Router from '@koa/router';
import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { PageRenderer } from '../views/pages';
import { SignedOutPage } from '../views/signed-out-page';
import { ProviderUnavailableError, SignInError } from './errors';
import type { OidcClient, SignInChecks } from './oidc';
import { safeReturnTo } from './return-to';
import { SealedCookie } from './sealed-cookie';
import type { Session, Sessions } from './session';

export const SIGN_IN_COOKIE = 'ecodata_sign_in';
/** How long the browser may take at the provider between sign-in and callback. */
const SIGN_IN_TTL_S = 10 * 60;

export interface AuthRoutesOptions {
  readonly oidc: OidcClient;
  readonly sessions: Sessions;
  readonly pages: PageRenderer;
  readonly secret: string;
  /** External base URL: the callback URL handed to openid-client is built from it, never from Host. */
  readonly publicUrl: string;
  readonly logger?: Logger;
}

/** /auth/sign-in, /auth/callback, /auth/sign-out (POST, CSRF-checked like every POST), /auth/signed-out. */
export function authRouter(options: AuthRoutesOptions): Router {
  const { oidc, sessions, pages, logger } = options;
  const checksCookie = new SealedCookie<SignInChecks>(options.secret, 'sign-in');
  const router = new Router();
  // Lax, not Strict: the provider sends the browser back with a cross-site top-level GET.
  const cookieOptions = (ctx: Context) => ({ httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, path: '/auth/', overwrite: true });

  router.get('/auth/sign-in', async (ctx) => {
    let started;
    try {
      started = await oidc.startSignIn(safeReturnTo(ctx.query.returnTo));
    } catch (error) {
      logger?.warn({ err: error, requestId: ctx.state.requestId }, 'identity provider unavailable');
      throw new ProviderUnavailableError('The sign-in service cannot be reached right now. Please try again in a moment.', { cause: error });
    }
    const { url, checks } = started;
    const sealed = await checksCookie.seal(checks, Math.floor(Date.now() / 1000) + SIGN_IN_TTL_S);
    ctx.cookies.set(SIGN_IN_COOKIE, sealed, { ...cookieOptions(ctx), maxAge: SIGN_IN_TTL_S * 1000 });
    ctx.set('Cache-Control', 'no-store');
    ctx.redirect(url.href);
  });

  router.get('/auth/callback', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const checks = await checksCookie.open(ctx.cookies.get(SIGN_IN_COOKIE));
    ctx.cookies.set(SIGN_IN_COOKIE, null, cookieOptions(ctx));
    if (typeof ctx.query.error === 'string') {
      const reason = typeof ctx.query.error_description === 'string' ? ctx.query.error_description : ctx.query.error;
      throw new SignInError(`The identity provider did not sign you in (${reason.slice(0, 200)}).`);
    }
    if (!checks) throw new SignInError('This sign-in expired or was started in another browser. Sign in again.');
    const callbackUrl = new URL(`${options.publicUrl}/auth/callback`);
    callbackUrl.search = ctx.querystring;
    let user;
    try {
      user = await sessions.start(ctx, await oidc.finishSignIn(callbackUrl, checks));
    } catch (error) {
      logger?.warn({ err: error, requestId: ctx.state.requestId }, 'sign-in callback refused');
      throw new SignInError('The sign-in could not be completed. Sign in again.', { cause: error });
    }
    logger?.info({ sub: user.sub, role: user.role, requestId: ctx.state.requestId }, 'signed in');
    ctx.redirect(checks.returnTo);
    ctx.status = 303;
  });

  router.post('/auth/sign-out', async (ctx) => {
    const session = ctx.state.session as Session | undefined;
    sessions.clear(ctx);
    let endSession: URL | undefined;
    if (session) {
      logger?.info({ sub: session.user.sub, requestId: ctx.state.requestId }, 'signed out');
      if (session.refreshToken) {
        await oidc.revoke(session.refreshToken).catch((error: unknown) => logger?.warn({ err: error }, 'refresh token revocation failed'));
      }
      endSession = await oidc.endSessionUrl(session.idToken).catch((error: unknown) => {
        logger?.warn({ err: error }, 'provider logout URL unavailable');
        return undefined;
      });
    }
    ctx.redirect(endSession?.href ?? '/auth/signed-out');
    ctx.status = 303;
  });

  router.get('/auth/signed-out', async (ctx) => {
    await pages.render(ctx, 200, (page) => <SignedOutPage page={page} />);
  });

  return router;
}
