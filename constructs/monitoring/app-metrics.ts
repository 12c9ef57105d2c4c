// Names of the metrics the two images expose on /metrics (app/api/src/metrics.ts,
// app/front/src/http/metrics.ts). test/monitoring checks them against real prom-client
// registries built by that code, so a rename in the app fails the manifests' tests.
export const API_METRICS = {
  /** Histogram labelled method, route (template) and status. */
  requestDuration: 'http_request_duration_seconds',
  /** Gauges of the pg pool of each API pod. */
  poolConnections: 'pg_pool_connections_total',
  poolWaiting: 'pg_pool_requests_waiting',
} as const;

export const FRONT_METRICS = {
  /** Histogram labelled method, route (template) and status. */
  requestDuration: 'front_http_request_duration_seconds',
  /** Histogram of the front's calls to the API, labelled operation and outcome. */
  apiCallDuration: 'front_api_call_duration_seconds',
} as const;

/** Routes that only probes and Prometheus call; left out of latency objectives. */
export const PROBE_ROUTES = ['/healthz', '/readyz', '/metrics'] as const;
