// The management app: /healthz, /readyz and /metrics on MANAGEMENT_PORT, unauthenticated and
// never routed publicly (probes and the ServiceMonitor reach it inside the cluster). Same
// request log, problem+json and duration histogram as the application port.
import Router from '@koa/router';
import Koa from 'koa';
import type { Logger } from 'pino';
import type { Db } from './db';
import { observe } from './http/observe';
import type { Metrics } from './metrics';
import { managementRouter, type Lifecycle } from './system/routes';

export interface ManagementDeps {
  readonly db: Db;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Shared with server.ts so SIGTERM can turn readiness off. @default { shuttingDown: false } */
  readonly lifecycle?: Lifecycle;
}

export function createManagementApp(deps: ManagementDeps): Koa {
  const app = new Koa();
  app.silent = true;
  app.use(observe(deps.logger, deps.metrics));
  const router: Router = managementRouter({ ...deps, lifecycle: deps.lifecycle ?? { shuttingDown: false } });
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
