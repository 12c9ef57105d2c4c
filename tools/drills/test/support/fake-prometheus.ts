// A protocol stub of the three Prometheus HTTP API endpoints the monitoring check calls
// (/api/v1/targets, /api/v1/rules, /api/v1/alerts), answering from a state the test sets.
// A stub because no Prometheus binary is available on this machine; the response shapes
// follow https://prometheus.io/docs/prometheus/latest/querying/api/.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Alert, RuleGroup, Target } from '../../src/monitoring/prometheus';

export interface PrometheusState {
  targets: Target[];
  groups: RuleGroup[];
  alerts: Alert[];
}

export interface FakePrometheus {
  readonly url: string;
  readonly state: PrometheusState;
  /** Request paths received, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startFakePrometheus(state: PrometheusState): Promise<FakePrometheus> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const { pathname, searchParams } = new URL(req.url ?? '/', 'http://prometheus');
    let data: unknown;
    if (pathname === '/api/v1/targets') {
      data = { activeTargets: searchParams.get('state') === 'dropped' ? [] : state.targets, droppedTargets: [] };
    } else if (pathname === '/api/v1/rules') {
      const type = searchParams.get('type');
      data = { groups: state.groups.map((group) => ({ ...group, rules: group.rules.filter((rule) => !type || (type === 'alert') === (rule.type === 'alerting')) })) };
    } else if (pathname === '/api/v1/alerts') {
      data = { alerts: state.alerts };
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    requests,
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}
