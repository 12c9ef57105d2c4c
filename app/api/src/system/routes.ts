// Operational endpoints. On the application port: service info and the OpenAPI document (public,
// see auth/middleware.ts). On the management port (management.ts): liveness, readiness, metrics.
import Router from '@koa/router';
import type { Config } from '../config';
import type { Db } from '../db';
import { AppError } from '../errors';
import type { Metrics } from '../metrics';
import { latestMigration } from './schema-version';

export interface Lifecycle {
  /** Set by server.ts on SIGTERM: readiness fails so the Service stops routing here. */
  shuttingDown: boolean;
}

export function systemRouter(deps: { config: Config; openapi: object }): Router {
  const router = new Router();

  router.get('/', (ctx) => {
    ctx.body = { name: 'ecodata-api', version: deps.config.appVersion, environment: deps.config.appEnv };
  });

  router.get('/openapi.json', (ctx) => {
    ctx.body = deps.openapi;
  });

  return router;
}

export function managementRouter(deps: { db: Db; metrics: Metrics; lifecycle: Lifecycle }): Router {
  const router = new Router();

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    if (deps.lifecycle.shuttingDown) throw new AppError(503, 'service_unavailable', 'The service is shutting down.');
    let applied: boolean;
    try {
      const result = await deps.db.query({
        name: 'readyz_migration',
        text: 'SELECT 1 FROM pgmigrations WHERE name = $1',
        values: [latestMigration],
      });
      applied = result.rowCount === 1;
    } catch (error) {
      // No migrations table yet: reachable, but not migrated.
      if ((error as { code?: string }).code === '42P01') applied = false;
      else throw error;
    }
    if (!applied) throw new AppError(503, 'service_unavailable', `Migration ${latestMigration} has not been applied yet.`);
    ctx.body = { status: 'ready' };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });

  return router;
}
