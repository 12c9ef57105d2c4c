// Builds the Koa application (the application port) from its dependencies. Never listens:
// server.ts does that, and tests drive app.callback() directly. Probes and metrics are the
// management app's (management.ts), on their own port.
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import { authenticate } from './auth/middleware';
import { createTokenVerifier, type TokenVerifier } from './auth/verifier';
import type { Config } from './config';
import type { Db } from './db';
import { observe } from './http/observe';
import { routesWithShortcuts, type ShortcutRoute } from './http/route-shortcut';
import { measurementsRouter } from './measurements/routes';
import type { Metrics } from './metrics';
import { openApiDocument } from './openapi';
import { statsRouter } from './stats/routes';
import { systemRouter } from './system/routes';

export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Checks bearer tokens. @default createTokenVerifier(config.auth) */
  readonly verifier?: TokenVerifier;
  /** Dispatches the hottest routes without @koa/router's per-request match (http/route-shortcut.ts). @default true */
  readonly routeShortcuts?: boolean;
}

/** The requests that skip the router's match: what the benchmark's scenarios (and clients) send most. */
export const hotRoutes: readonly ShortcutRoute[] = [
  { methods: ['GET', 'HEAD'], pattern: /^\/api\/measurements\/([0-9]{1,20})$/, example: '/api/measurements/1' },
  { methods: ['GET', 'HEAD', 'POST'], pattern: /^\/api\/measurements$/, example: '/api/measurements' },
];

export function createApp(deps: AppDeps): Koa {
  const app = new Koa();
  // Only the front calls the API, directly (no proxy in between): X-Forwarded-* headers are
  // whatever a caller chose to send, so they are never believed.
  app.proxy = false;
  // Errors are logged once, with the request id, by the observe middleware.
  app.silent = true;
  deps.metrics.observePool(deps.db.pool);
  app.use(observe(deps.logger, deps.metrics));
  app.use(authenticate(deps.config.auth, deps.verifier ?? createTokenVerifier(deps.config.auth)));
  const router = createRouter(deps);
  app.use(deps.routeShortcuts === false ? router.routes() : routesWithShortcuts(router, hotRoutes));
  app.use(router.allowedMethods());
  return app;
}

/**
 * One router holding every resource's routes (nested routers are copied into its stack): one
 * match over all routes, one middleware chain and one allowedMethods() per request, instead of
 * three of each. Same routes, order, 404/405/Allow (test/routing.test.ts).
 */
export function createRouter(deps: Pick<AppDeps, 'config' | 'db'>): Router {
  const router = new Router();
  router.use(systemRouter({ config: deps.config, openapi: openApiDocument(deps.config.appVersion, deps.config.auth) }).routes());
  router.use(measurementsRouter(deps).routes());
  router.use(statsRouter(deps).routes());
  return router;
}
