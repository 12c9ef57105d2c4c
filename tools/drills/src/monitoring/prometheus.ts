// The three read-only endpoints of the Prometheus HTTP API the monitoring check needs
// (https://prometheus.io/docs/prometheus/latest/querying/api/).
import { DrillFailure } from '../errors';
import { json, quote, request } from '../http';

export interface Target {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly labels: Record<string, string>;
}

export interface Rule {
  readonly name: string;
  readonly type: 'alerting' | 'recording';
  readonly health: 'ok' | 'err' | 'unknown';
  readonly lastError?: string;
  readonly labels?: Record<string, string>;
}

export interface RuleGroup {
  readonly name: string;
  readonly file: string;
  readonly rules: readonly Rule[];
}

export interface Alert {
  readonly labels: Record<string, string>;
  readonly state: 'firing' | 'pending' | 'inactive';
  readonly activeAt?: string;
}

export class PrometheusApi {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async targets(): Promise<Target[]> {
    return (await this.get<{ activeTargets: Target[] }>('/api/v1/targets?state=active')).activeTargets;
  }

  async ruleGroups(): Promise<RuleGroup[]> {
    return (await this.get<{ groups: RuleGroup[] }>('/api/v1/rules?type=alert')).groups;
  }

  async alerts(): Promise<Alert[]> {
    return (await this.get<{ alerts: Alert[] }>('/api/v1/alerts')).alerts;
  }

  private async get<T>(path: string): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const response = await request(url, { timeoutMs: this.timeoutMs });
    if (response.status !== 200) throw new DrillFailure(`GET ${url}: HTTP ${response.status} ${quote(response.text)}`);
    const body = json<{ status?: string; data?: T; error?: string }>(response, `GET ${url}`);
    if (body.status !== 'success' || body.data === undefined) throw new DrillFailure(`GET ${url}: status ${JSON.stringify(body.status)} ${body.error ?? ''}`.trim());
    return body.data;
  }
}
