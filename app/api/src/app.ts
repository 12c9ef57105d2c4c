// Builds the Koa application from its dependencies. Never listens: server.ts does that, and
// tests drive app.callback() directly.
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Db } from './db';
import { observe } from './http/observe';
import { measurementsRouter } from './measurements/routes';
import type { Metrics } from './metrics';
import { openApiDocument } from './openapi';
import { statsRouter } from './stats/routes';
import { systemRouter, type Lifecycle } from './system/routes';

export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Shared with server.ts so SIGTERM can turn readiness off. @default { shuttingDown: false } */
  readonly lifecycle?: Lifecycle;
}

export function createApp(deps: AppDeps): Koa {
  const lifecycle = deps.lifecycle ?? { shuttingDown: false };
  const app = new Koa();
  app.proxy = true;
  // Errors are logged once, with the request id, by the observe middleware.
  app.silent = true;
  deps.metrics.observePool(deps.db.pool);
  app.use(observe(deps.logger, deps.metrics));
  // One router holding every resource's routes (nested routers are copied into its stack):
  // one match over all routes, one middleware chain and one allowedMethods() per request,
  // instead of three of each. Same routes, order, 404/405/Allow (test/routing.test.ts).
  const router = new Router();
  router.use(systemRouter({ ...deps, lifecycle, openapi: openApiDocument(deps.config.appVersion) }).routes());
  router.use(measurementsRouter(deps).routes());
  router.use(statsRouter(deps).routes());
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
