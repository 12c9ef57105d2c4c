import Router from '@koa/router';
import type { Registry } from 'prom-client';
import type { ApiClient } from '../api/client';

/** Liveness, readiness (the API is reachable, and we are not draining) and Prometheus metrics. */
export function healthRouter(api: ApiClient, registry: Registry, isDraining: () => boolean): Router {
  const router = new Router();

  router.get('/healthz', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (isDraining()) {
      ctx.status = 503;
      ctx.body = { status: 'draining' };
      return;
    }
    // Reachable, not ready: the front can still show its own 503 pages when the API's database
    // is down, so only a missing API takes the front out of rotation.
    const reachable = await api.isReachable();
    ctx.status = reachable ? 200 : 503;
    ctx.body = { status: reachable ? 'ok' : 'api_unreachable' };
  });

  router.get('/metrics', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.type = registry.contentType;
    ctx.body = await registry.metrics();
  });

  return router;
}
