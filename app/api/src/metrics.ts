// Prometheus metrics on a Registry passed in by the caller, so tests never share globals.
import type pg from 'pg';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  /** Exposes the pool's total/idle/waiting counts, read at scrape time. */
  observePool(pool: pg.Pool): void;
}

export function createMetrics(registry: Registry = new Registry(), options: { defaultMetrics?: boolean } = {}): Metrics {
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template, method and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    observePool(pool) {
      const gauge = (name: string, help: string, read: () => number) =>
        new Gauge({
          name,
          help,
          registers: [registry],
          collect() {
            this.set(read());
          },
        });
      gauge('pg_pool_connections_total', 'Connections open in the pg pool.', () => pool.totalCount);
      gauge('pg_pool_connections_idle', 'Idle connections in the pg pool.', () => pool.idleCount);
      gauge('pg_pool_requests_waiting', 'Requests waiting for a pg pool connection.', () => pool.waitingCount);
    },
  };
}
