// First middleware: request id, problem+json rendering of every error, one log line and one
// histogram observation per request (labelled by route template, never by raw URL). The line
// names the caller's `sub` (never the token); a successful write is logged at info as
// "measurement written" with what it did (ctx.state.audit), so every change is logged once.
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { AppError, problemTypeBase } from '../errors';
import type { Metrics } from '../metrics';
import { requestIdFrom } from './request-id';

/** Set by a write route when its change is made (measurements/routes.ts). */
export interface WriteAudit {
  readonly action: 'create' | 'update' | 'delete' | 'import';
  readonly measurementId?: string;
  readonly version?: number;
  readonly imported?: number;
}

declare module 'koa' {
  interface DefaultState {
    audit?: WriteAudit;
  }
}

export function observe(logger: Logger, metrics: Metrics) {
  // One histogram child per label set, made once, instead of a new label object (and
  // String(status)) per request; prom-client still checks and hashes the labels on every
  // observe. Looked up by method, status and route in turn, whose strings are the same
  // (already hashed) ones on every request, rather than by a key string built per request.
  // The set is as bounded as the metric itself.
  type Child = { observe(value: number): void };
  const children = new Map<string, Map<number, Map<string, Child>>>();
  const histogram = (method: string, route: string, status: number): Child => {
    let byStatus = children.get(method);
    if (!byStatus) children.set(method, (byStatus = new Map()));
    let byRoute = byStatus.get(status);
    if (!byRoute) byStatus.set(status, (byRoute = new Map()));
    let child = byRoute.get(route);
    if (!child) byRoute.set(route, (child = metrics.httpDuration.labels({ method, route, status: String(status) })));
    return child;
  };
  return async function observeRequest(ctx: Context, next: Next): Promise<void> {
    const started = performance.now();
    const requestId = requestIdFrom(ctx.req.headers['x-request-id']);
    ctx.state.requestId = requestId;
    ctx.res.setHeader('X-Request-Id', requestId);
    let failure: unknown;
    try {
      await next();
      if (ctx.body == null && ctx.status >= 400) throw emptyErrorResponse(ctx);
    } catch (error) {
      failure = error;
      renderProblem(ctx, error);
    }
    const seconds = (performance.now() - started) / 1000;
    const route = (ctx as { _matchedRoute?: unknown })._matchedRoute;
    const status = ctx.status;
    histogram(ctx.method, typeof route === 'string' ? route : 'unmatched', status).observe(seconds);
    const sub = (ctx.state.principal as { subject?: string } | undefined)?.subject;
    const audit = ctx.state.audit as WriteAudit | undefined;
    if (status >= 500) {
      logger.error({ err: failure, requestId, method: ctx.method, url: ctx.url, status, sub, ms: seconds * 1000 }, 'request failed');
    } else if (audit) {
      logger.info({ requestId, method: ctx.method, url: ctx.url, status, sub, ...audit, ms: seconds * 1000 }, 'measurement written');
    } else if (logger.isLevelEnabled(status >= 400 ? 'info' : 'debug')) {
      const fields = { requestId, method: ctx.method, url: ctx.url, status, sub, ms: seconds * 1000 };
      if (status >= 400) logger.info(fields, 'request rejected');
      else logger.debug(fields, 'request completed');
    }
  };
}

function renderProblem(ctx: Context, error: unknown): void {
  const problem =
    error instanceof AppError ? error : fromHttpError(error) ?? new AppError(500, 'internal_error', 'An unexpected error occurred.');
  // A streamed body that already started cannot become a problem document.
  if (ctx.headerSent) return;
  ctx.status = problem.status;
  ctx.remove('ETag');
  ctx.remove('Location');
  for (const [name, value] of Object.entries(problem.headers ?? {})) ctx.set(name, value);
  ctx.type = 'application/problem+json';
  ctx.body = {
    type: `${problemTypeBase}${problem.code}`,
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    instance: ctx.path,
    requestId: ctx.state.requestId,
    ...(problem.errors ? { errors: problem.errors } : {}),
    ...problem.extensions,
  };
}

/** No route (404) or @koa/router's allowedMethods() answer (405 with Allow, 501). */
function emptyErrorResponse(ctx: Context): AppError {
  if (ctx.status === 405) return new AppError(405, 'method_not_allowed', `${ctx.method} is not allowed here; see the Allow header.`);
  // A method the router does not know (TRACE) on a path that exists is still "not allowed
  // here" (RFC 9110 15.5.6): 405 with the Allow the router set, not 501.
  if (ctx.status === 501 && ctx.response.get('Allow')) {
    return new AppError(405, 'method_not_allowed', `${ctx.method} is not allowed here; see the Allow header.`);
  }
  if (ctx.status === 501) return new AppError(501, 'method_not_allowed', `${ctx.method} is not implemented by this API.`);
  return new AppError(404, 'not_found', `No route for ${ctx.method} ${ctx.path}.`);
}

/** Client errors thrown by koa itself (e.g. a malformed URL) carry an HTTP status. */
function fromHttpError(error: unknown): AppError | undefined {
  const status = (error as { status?: unknown })?.status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  return new AppError(400, 'validation_failed', (error as Error).message);
}
