// The metric names the API and front really expose: built by the apps' own metrics modules
// on fresh prom-client registries, then expanded the way the exposition format does
// (a histogram `x` is scraped as x_bucket, x_sum and x_count).
import type pg from 'pg';
import { Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import { createMetrics } from '../../app/api/src/metrics';
import { FrontMetrics } from '../../app/front/src/http/metrics';

type Described = MetricObjectWithValues<MetricValue<string>>;

function exposedNames(metrics: readonly Described[]): string[] {
  return metrics.flatMap(({ name, type }) =>
    String(type) === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : String(type) === 'summary' ? [name, `${name}_sum`, `${name}_count`] : [name],
  );
}

export async function apiMetricNames(): Promise<string[]> {
  const metrics = createMetrics(new Registry());
  // Only the pool's counts are read, at scrape time.
  metrics.observePool({ totalCount: 0, idleCount: 0, waitingCount: 0 } as pg.Pool);
  return exposedNames(await metrics.registry.getMetricsAsJSON());
}

export async function frontMetricNames(): Promise<string[]> {
  const metrics = new FrontMetrics(new Registry(), { defaultMetrics: true });
  return exposedNames(await metrics.registry.getMetricsAsJSON());
}
