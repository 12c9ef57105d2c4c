import type { Middleware } from 'koa';
import { collectDefaultMetrics, Counter, Histogram, type Registry } from 'prom-client';
import type { ApiCallObserver } from '../api/client';

/** The front's Prometheus metrics, all registered on the Registry passed in (tests use their own). */
export class FrontMetrics {
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly apiDuration: Histogram<'operation' | 'outcome'>;
  readonly csrfRejected: Counter;

  constructor(readonly registry: Registry, options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
    this.httpDuration = new Histogram({
      name: 'front_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by route template and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.apiDuration = new Histogram({
      name: 'front_api_call_duration_seconds',
      help: 'Time of calls to the API, by operation and outcome (HTTP status, or "unavailable").',
      labelNames: ['operation', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.csrfRejected = new Counter({
      name: 'front_csrf_rejected_total',
      help: 'Form posts refused because their CSRF token was missing or wrong.',
      registers: [registry],
    });
  }

  readonly observeApiCall: ApiCallObserver = (operation, outcome, seconds) => {
    this.apiDuration.observe({ operation, outcome }, seconds);
  };

  /** Times each request, labelled by the matched route template (bounded cardinality). */
  middleware(): Middleware {
    return async (ctx, next) => {
      const end = this.httpDuration.startTimer({ method: ctx.method });
      try {
        await next();
      } finally {
        const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
        end({ route: String(route), status: String(ctx.status) });
      }
    };
  }
}
