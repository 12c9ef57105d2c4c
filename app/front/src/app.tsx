import path from 'node:path';
import type Router from '@koa/router';
import Koa, { type Context, type Middleware } from 'koa';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { ApiClient } from './api/client';
import { ApiOutcomeUnknownError, ApiProblemError, ApiUnavailableError } from './api/errors';
import { accessControl } from './auth/access';
import { AccessDeniedError, ProviderUnavailableError, SignInError } from './auth/errors';
import { OidcClient } from './auth/oidc';
import { roleFromClaims } from './auth/roles';
import { authRouter } from './auth/routes';
import { type Session, Sessions } from './auth/session';
import { type Config, DEFAULT_IMPORT_TIMEOUT_MS } from './config';
import { Csrf, CSRF_FIELD } from './http/csrf';
import { FormBodyError, readForm } from './http/form-body';
import { FrontMetrics } from './http/metrics';
import { requestId } from './http/request-id';
import { securityHeaders } from './http/security-headers';
import { StaticAssets } from './http/static-assets';
import { IMPORT_LIMIT_BYTES, importRouter } from './routes/import';
import { measurementsRouter } from './routes/measurements';
import { stationsRouter } from './routes/stations';
import { StatusProbe } from './status';
import { MessagePage } from './views/message-page';
import { PageRenderer } from './views/pages';

/** app/front/public, seen from src/ (tests, dev) and from build/ (the bundled image) alike. */
export const PUBLIC_DIR = path.resolve(__dirname, '..', 'public');

const FORM_LIMIT_BYTES = 64 * 1024;

export type AppConfig = Pick<Config, 'apiUrl' | 'apiTimeoutMs' | 'appVersion' | 'appEnv' | 'publicUrl' | 'oidc' | 'sessionSecret'>
  & Partial<Pick<Config, 'apiImportTimeoutMs' | 'apiManagementUrl' | 'anonymousRead' | 'trustProxy'>>;

export interface AppDependencies {
  readonly config: AppConfig;
  /** Where the metrics go; pass a fresh Registry per app (tests) or the process's one. */
  readonly registry: Registry;
  readonly logger?: Logger;
  readonly publicDir?: string;
  /** How long the footer's API status is reused. */
  readonly statusTtlMs?: number;
  /** Also collect the process-level default metrics (once per process). */
  readonly defaultMetrics?: boolean;
}

/**
 * The front as a Koa app; it never listens (server.ts does). Health and metrics are served by
 * the management app (management.ts), on another port.
 */
export function createApp(deps: AppDependencies): Koa {
  const { config, logger } = deps;
  const metrics = new FrontMetrics(deps.registry, { defaultMetrics: deps.defaultMetrics ?? false });
  const api = new ApiClient({
    baseUrl: config.apiUrl,
    managementUrl: config.apiManagementUrl,
    timeoutMs: config.apiTimeoutMs,
    importTimeoutMs: config.apiImportTimeoutMs ?? DEFAULT_IMPORT_TIMEOUT_MS,
    observe: metrics.observeApiCall,
  });
  const probe = new StatusProbe(api, { environment: config.appEnv, version: config.appVersion }, deps.statusTtlMs);
  const csrf = new Csrf(config.sessionSecret);
  const assets = new StaticAssets(deps.publicDir ?? PUBLIC_DIR);
  const pages = new PageRenderer(csrf, assets, probe);
  const oidc = new OidcClient({
    ...config.oidc,
    redirectUri: `${config.publicUrl}/auth/callback`,
    postLogoutRedirectUri: `${config.publicUrl}/`,
  });
  const sessions = new Sessions({
    secret: config.sessionSecret,
    oidc,
    roleOf: (claims) => roleFromClaims(claims, config.oidc.roleClaim, config.oidc.roleMapping),
    logger,
  });
  const apiFor = (ctx: Context) => api.forRequest(ctx.state.requestId, (ctx.state.session as Session | undefined)?.accessToken);

  const app = new Koa();
  // Behind the gateway only: then X-Forwarded-Proto says whether the browser used HTTPS (Secure
  // cookies, HSTS) and X-Forwarded-For who it is. Elsewhere anyone could send those headers.
  app.proxy = config.trustProxy ?? false;
  app.use(securityHeaders({ formOrigins: () => oidc.browserOrigins() }));
  app.use(requestId());
  app.use(accessLog(logger));
  app.use(metrics.middleware());
  app.use(errorPages(pages, probe, sessions, logger));
  app.use(assets.middleware());
  const routers = [
    authRouter({ oidc, sessions, pages, secret: config.sessionSecret, publicUrl: config.publicUrl, logger }),
    measurementsRouter(pages, apiFor),
    importRouter(pages, apiFor),
    stationsRouter(pages, apiFor),
  ];
  // Before the form parser: a wrong method is 405 (with Allow), not a CSRF or media type error.
  app.use(methodsAllowed(routers));
  app.use(formsWithCsrf(csrf, metrics));
  app.use(sessions.middleware());
  app.use(accessControl({ anonymousRead: config.anonymousRead ?? false }));

  app.use(async (ctx, next) => {
    if (ctx.path === '/' && (ctx.method === 'GET' || ctx.method === 'HEAD')) ctx.redirect('/measurements');
    else await next();
  });
  for (const router of routers) {
    app.use(router.routes()).use(router.allowedMethods());
  }
  app.use(async (ctx) => {
    if (ctx.body === undefined && ctx.status === 404) ctx.throw(404, 'There is no page at this address.');
  });
  return app;
}

/**
 * 405 with Allow when a route exists for the path but not for the method; a path no route knows
 * is 404 at once, before sign-in is asked for (so /metrics on the main port is a plain 404).
 */
function methodsAllowed(routers: readonly Router[]): Middleware {
  return async (ctx, next) => {
    if (ctx.path === '/') return next();
    const allowed = new Set<string>();
    let routed = false;
    for (const router of routers) {
      const match = router.match(ctx.path, ctx.method);
      if (match.route) routed = true;
      for (const layer of match.path) for (const method of layer.methods) allowed.add(method);
    }
    if (routed) return next();
    if (allowed.size > 0) {
      ctx.set('Allow', [...allowed].sort().join(', '));
      ctx.throw(405, `${ctx.method} is not allowed here.`);
    }
    ctx.throw(404, 'There is no page at this address.');
  };
}

/** Every unsafe request must be a form carrying the CSRF token of this browser's cookie. */
function formsWithCsrf(csrf: Csrf, metrics: FrontMetrics): Middleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'OPTIONS') return next();
    const limit = ctx.path === '/import' ? IMPORT_LIMIT_BYTES + 64 * 1024 : FORM_LIMIT_BYTES;
    const form = await readForm(ctx, limit);
    if (!csrf.verify(ctx, form.fields.get(CSRF_FIELD))) {
      metrics.csrfRejected.inc();
      ctx.throw(403, 'This form has expired or did not come from this site. Go back, reload the page and try again.');
    }
    ctx.state.form = form;
    await next();
  };
}

/** Turns every failure into a page (503 when the API is down); the process never crashes on a request. */
function errorPages(pages: PageRenderer, probe: StatusProbe, sessions: Sessions, logger: Logger | undefined): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const { status, title, message, retry, offerSignIn, offerBack } = describe(error, ctx.state.session as Session | undefined);
      // The API no longer accepts this session's token (revoked, keys changed): end the session.
      if (error instanceof ApiProblemError && error.status === 401) sessions.clear(ctx);
      if (status >= 500) logger?.warn({ err: error, requestId: ctx.state.requestId }, 'request failed');
      if (error instanceof ApiUnavailableError) {
        probe.invalidate();
        ctx.set('Retry-After', '10');
      }
      const retryHref = retry ? (ctx.method === 'GET' ? ctx.originalUrl : '/measurements') : undefined;
      try {
        await pages.render(ctx, status, (page) => (
          <MessagePage page={page} title={title} message={message} retryHref={retryHref} offerSignIn={offerSignIn} offerBack={offerBack} />
        ));
      } catch (renderError) {
        logger?.error({ err: renderError }, 'error page failed to render');
        ctx.status = status;
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = `${title}\n${message}\n`;
      }
    }
  };
}

interface ErrorPage {
  readonly status: number;
  readonly title: string;
  readonly message: string;
  readonly retry: boolean;
  readonly offerSignIn?: boolean;
  readonly offerBack?: boolean;
}

function describe(error: unknown, session: Session | undefined): ErrorPage {
  if (error instanceof AccessDeniedError) {
    return { status: 403, title: error.title, message: error.message, retry: false, offerSignIn: error.offerSignIn, offerBack: error.offerBack };
  }
  if (error instanceof ProviderUnavailableError) {
    return { status: 503, title: 'Sign-in is unavailable', message: error.message, retry: true };
  }
  if (error instanceof SignInError) {
    return { status: 400, title: 'Sign-in failed', message: error.message, retry: false, offerSignIn: true };
  }
  if (error instanceof ApiOutcomeUnknownError) {
    return {
      status: 504,
      title: 'The outcome is unknown',
      message: 'The measurements service did not answer in time, so the change may or may not have been saved. Check the measurements before trying again.',
      retry: false,
    };
  }
  if (error instanceof ApiUnavailableError) {
    return {
      status: 503,
      title: 'The measurements service is unavailable',
      message: 'The front cannot reach the API right now, so nothing can be shown or saved. Your data is safe; please try again in a moment.',
      retry: true,
    };
  }
  if (error instanceof ApiProblemError) {
    if (error.status === 401) {
      return {
        status: 401,
        title: 'Sign in again',
        message: 'The measurements service no longer accepts your sign-in, so nothing was shown or changed. Sign in again.',
        retry: false,
        offerSignIn: true,
      };
    }
    if (error.status === 403) {
      const who = session ? `${session.user.displayName} (${session.user.role ?? 'no role'})` : 'a visitor who is not signed in';
      return {
        status: 403,
        title: 'Not allowed',
        message: `The measurements service refused this for ${who}: ${error.problem.detail ?? error.problem.title ?? 'insufficient role'}. Nothing was changed.`,
        retry: false,
      };
    }
    if (error.status === 404) {
      return { status: 404, title: 'Not found', message: 'This measurement does not exist; it may have been deleted.', retry: false };
    }
    if (error.status === 400) {
      // The request carried something the API refuses: say what, as a 400 of our own.
      const fields = error.problem.errors?.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
      return { status: 400, title: 'Bad request', message: fields || error.problem.detail || 'The request was refused.', retry: false };
    }
    return {
      status: 502,
      title: 'The API could not handle this request',
      message: `The API answered ${error.status}${error.code ? ` (${error.code})` : ''}. Please try again; if it persists, tell the operators.`,
      retry: true,
    };
  }
  if (error instanceof FormBodyError) {
    return { status: error.status, title: 'The form could not be read', message: error.message, retry: false };
  }
  const httpError = error as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500) {
    const titles: Record<number, string> = { 403: 'Form expired', 404: 'Page not found', 405: 'Method not allowed' };
    return {
      status: httpError.status,
      title: titles[httpError.status] ?? 'Bad request',
      message: httpError.expose && typeof httpError.message === 'string' ? httpError.message : 'The request could not be handled.',
      retry: false,
    };
  }
  return { status: 500, title: 'Something went wrong', message: 'The page could not be shown. Please try again.', retry: true };
}

function accessLog(logger: Logger | undefined): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      if (logger) {
        const quiet = ctx.path.startsWith('/static/');
        // Path only: query strings carry user input (filters, cursors) that logs do not need.
        logger[quiet ? 'debug' : 'info']({
          requestId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status,
          // Who, by subject only: never a token.
          sub: (ctx.state.session as Session | undefined)?.user.sub,
          ms: Math.round(performance.now() - started),
        }, 'request');
      }
    }
  };
}
