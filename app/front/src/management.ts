import Koa from 'koa';
import type { Registry } from 'prom-client';
import { ApiClient } from './api/client';
import type { Config } from './config';
import { healthRouter } from './routes/health';

export interface ManagementDependencies {
  readonly config: Pick<Config, 'apiUrl' | 'apiTimeoutMs'> & Partial<Pick<Config, 'apiManagementUrl'>>;
  /** The registry the main app records its metrics in. */
  readonly registry: Registry;
  /** True once the server is shutting down: readiness then answers 503. */
  readonly isDraining?: () => boolean;
}

/**
 * The management server's app (MANAGEMENT_PORT): liveness, readiness and Prometheus metrics,
 * unauthenticated and never routed publicly (probes and the ServiceMonitor reach the pod's
 * port directly). The main port answers 404 for these paths.
 */
export function createManagementApp(deps: ManagementDependencies): Koa {
  const api = new ApiClient({
    baseUrl: deps.config.apiUrl,
    managementUrl: deps.config.apiManagementUrl,
    timeoutMs: deps.config.apiTimeoutMs,
  });
  const router = healthRouter(api, deps.registry, deps.isDraining ?? (() => false));
  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
