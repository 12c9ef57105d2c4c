import type { Middleware } from 'koa';
import { AccessDeniedError } from './errors';
import { signInHref } from './return-to';
import { needsEditor } from './roles';
import type { Session } from './session';

/**
 * Who may see what, before any route runs: visitors who are not signed in are sent to sign-in
 * (or may read, with ANONYMOUS_READ); a signed-in person without a role sees only why; write
 * forms and every unsafe request need the editor role. /auth/* is open to all.
 */
export function accessControl(options: { readonly anonymousRead: boolean }): Middleware {
  return async (ctx, next) => {
    if (ctx.path.startsWith('/auth/')) return next();
    const session = ctx.state.session as Session | undefined;
    const write = needsEditor(ctx.method, ctx.path);
    if (!session) {
      if (!write && options.anonymousRead) return next();
      if (ctx.method === 'GET' || ctx.method === 'HEAD') {
        ctx.set('Cache-Control', 'no-store');
        ctx.redirect(signInHref(ctx.originalUrl));
        return;
      }
      throw new AccessDeniedError('You are not signed in, so nothing was changed. Sign in, then try again.', 'Sign in required', true);
    }
    const { user } = session;
    if (user.role === null) {
      throw new AccessDeniedError(
        `You are signed in as ${user.displayName}, but your account has no role in EcoData. Ask an administrator to add you to a group that gives the viewer or editor role.`,
        'No access to EcoData',
        false,
        false,
      );
    }
    if (write && user.role !== 'editor') {
      throw new AccessDeniedError(
        `You are signed in as ${user.displayName} with the ${user.role} role, which may read measurements but not add, edit, delete or import them. Nothing was changed.`,
      );
    }
    await next();
  };
}
