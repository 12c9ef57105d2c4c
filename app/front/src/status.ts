import type { ApiClient } from './api/client';

/** What the footer shows about the running system. */
export interface SystemStatus {
  readonly environment: string;
  readonly frontVersion: string;
  /** null when the API did not say (unreachable). */
  readonly apiVersion: string | null;
  /** up: ready; degraded: answers but not ready (e.g. database down); down: unreachable. */
  readonly apiHealth: 'up' | 'degraded' | 'down';
}

/**
 * Asks the API for its version and readiness at most once per `ttlMs`, so rendering the
 * footer does not double the load on the API. Concurrent callers share one probe.
 */
export class StatusProbe {
  private cached: { at: number; value: Promise<SystemStatus> } | undefined;

  constructor(
    private readonly api: ApiClient,
    private readonly front: { environment: string; version: string },
    private readonly ttlMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  current(): Promise<SystemStatus> {
    const at = this.now();
    if (!this.cached || at - this.cached.at >= this.ttlMs) this.cached = { at, value: this.probe() };
    return this.cached.value;
  }

  /** Forget the cached answer (after the page learnt the API is down, for instance). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async probe(): Promise<SystemStatus> {
    const [info, ready] = await Promise.all([this.api.info().catch(() => null), this.api.isReady()]);
    const apiHealth = ready ? 'up' : info ? 'degraded' : 'down';
    return {
      environment: this.front.environment,
      frontVersion: this.front.version,
      apiVersion: info?.version ?? null,
      apiHealth,
    };
  }
}
