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
}

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
  // One router holding every resource's routes (nested routers are copied into its stack):
  // one match over all routes, one middleware chain and one allowedMethods() per request,
  // instead of three of each. Same routes, order, 404/405/Allow (test/routing.test.ts).
  const router = new Router();
  router.use(systemRouter({ config: deps.config, openapi: openApiDocument(deps.config.appVersion, deps.config.auth) }).routes());
  router.use(measurementsRouter(deps).routes());
  router.use(statsRouter(deps).routes());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
