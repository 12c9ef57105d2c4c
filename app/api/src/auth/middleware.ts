// Every request on the application port needs a bearer token, except the two public documents
// (`/` and `/openapi.json`). Reads (GET, HEAD, OPTIONS) need the viewer role, every other
// method the editor role: one rule for every route, so a new write route cannot be left open.
// With ANONYMOUS_READ a request with NO Authorization header may read; a bad token is still 401.
import type { Context, Next } from 'koa';
import { AppError } from '../errors';
import { insufficientRole, invalidToken, tokenRequired } from './challenge';
import type { AuthConfig } from './config';
import { mayPerform } from './roles';
import { IdentityProviderUnavailable, InvalidToken, type Principal, type TokenVerifier } from './verifier';

/** Service name/version and the OpenAPI document: no data, and what a client needs to begin. */
export const publicPaths: ReadonlySet<string> = new Set(['/', '/openapi.json']);
/** Served by the management server (src/management.ts) only; named here so the answer says so. */
export const managementPaths: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);
// RFC 6750 section 2.1: b64token after "Bearer" and one or more spaces.
const bearer = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

declare module 'koa' {
  interface DefaultState {
    /** Set by the auth middleware: the caller, or undefined for an anonymous read. */
    principal?: Principal;
  }
}

export function authenticate(config: AuthConfig, verifier: TokenVerifier) {
  // The last header that was "Bearer <token>" and its token: a client sends the same header
  // on every request, and comparing it is cheaper than matching the pattern again.
  let lastHeader = '';
  let lastToken = '';
  return async function requireToken(ctx: Context, next: Next): Promise<void> {
    if (managementPaths.has(ctx.path)) {
      throw new AppError(404, 'not_found', `${ctx.path} is served on the management port (MANAGEMENT_PORT), not here.`);
    }
    const access = readMethods.has(ctx.method) ? 'read' : 'write';
    if (publicPaths.has(ctx.path) && access === 'read') return next();

    const header = ctx.get('Authorization');
    if (header === '') {
      if (config.anonymousRead && access === 'read') return next();
      throw tokenRequired(access === 'read' ? 'This API needs a bearer access token (Authorization: Bearer <token>).' : 'Changes need a bearer access token of an editor (Authorization: Bearer <token>).');
    }
    if (header !== lastHeader) {
      const match = bearer.exec(header);
      if (!match) throw invalidToken('the Authorization header is not "Bearer <token>"');
      [lastHeader, lastToken] = [header, match[1]];
    }

    let principal: Principal;
    try {
      const verified = verifier.verify(lastToken);
      principal = 'then' in verified ? await verified : verified;
    } catch (error) {
      if (error instanceof InvalidToken) throw invalidToken(error.description);
      if (error instanceof IdentityProviderUnavailable) {
        // Not the client's fault, and not its token's: retry later. The reason goes to the log.
        throw new AppError(503, 'service_unavailable', 'Access tokens cannot be checked right now: the identity provider\'s keys could not be obtained (the log says why); retry shortly.', undefined, {
          cause: error,
          headers: { 'Retry-After': '5' },
        });
      }
      throw error;
    }
    ctx.state.principal = principal;
    if (!mayPerform(principal.role, access)) {
      throw insufficientRole(
        principal.role === 'viewer'
          ? 'the viewer role may only read; changes need the editor role'
          : 'the token maps to no EcoData role (see OIDC_ROLE_CLAIM and OIDC_ROLE_MAPPING)',
      );
    }
    return next();
  };
}
