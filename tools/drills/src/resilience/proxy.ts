// A tiny round-robin HTTP proxy in front of the API processes, standing in for what a
// Kubernetes Service (plus a typical ingress) does for the drill:
// - endpoints follow readiness: each backend's /readyz is probed every `probeIntervalMs`
//   and only ready backends get traffic (like EndpointSlices following readiness probes);
// - a request whose connection is refused is sent to the next backend (nothing reached the
//   refused one, so this is safe for every method; nginx's `proxy_next_upstream error`);
// - a request that was sent and then lost its connection is retried only when its method is
//   idempotent (RFC 9110: GET, HEAD, OPTIONS, PUT, DELETE); a POST gets a 502, because the
//   backend may have committed it (nginx's default `non_idempotent` off).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchWithDeadline } from '../http';

export interface Backend {
  readonly name: string;
  readonly url: string;
  /** Where its readiness is probed (the API's is on its management port). @default `${url}/readyz` */
  readonly readyUrl?: string;
}

interface BackendState extends Backend {
  readonly host: string;
  readonly port: number;
  ready: boolean;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

export interface ProxyStats {
  /** Requests resent to another backend after a refused or lost connection. */
  retried: number;
  /** Requests answered 502/503 by the proxy itself. */
  failed: number;
}

export class RoundRobinProxy {
  readonly stats: ProxyStats = { retried: 0, failed: 0 };
  private readonly backends: BackendState[];
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly server: http.Server;
  private next = 0;
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(
    backends: readonly Backend[],
    private readonly probeIntervalMs = 250,
  ) {
    this.backends = backends.map((backend) => {
      const url = new URL(backend.url);
      return { ...backend, host: url.hostname, port: Number(url.port), ready: true };
    });
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.probeTimer = setInterval(() => void this.probe(), this.probeIntervalMs);
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    clearInterval(this.probeTimer);
    const closed = new Promise((resolve) => this.server.close(resolve));
    this.server.closeAllConnections();
    this.agent.destroy();
    await closed;
  }

  private async probe(): Promise<void> {
    await Promise.all(
      this.backends.map(async (backend) => {
        try {
          const { response } = await fetchWithDeadline(backend.readyUrl ?? `${backend.url}/readyz`, {}, this.probeIntervalMs * 4);
          backend.ready = response.status === 200;
        } catch {
          backend.ready = false;
        }
      }),
    );
  }

  /** Ready backends in round-robin order; all of them when none is ready (fail fast, not hang). */
  private order(): BackendState[] {
    const start = this.next++ % this.backends.length;
    const rotated = [...this.backends.slice(start), ...this.backends.slice(0, start)];
    const ready = rotated.filter((backend) => backend.ready);
    return ready.length > 0 ? ready : rotated;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const candidates = this.order();
    let lastError = 'no backend';
    for (const [attempt, backend] of candidates.entries()) {
      if (attempt > 0) this.stats.retried += 1;
      const outcome = await this.forward(backend, req, body, res);
      if (outcome === 'done') return;
      lastError = `${backend.name}: ${outcome.error}`;
      if (outcome.refused) backend.ready = false; // passive ejection until the next good probe
      if (!outcome.refused && !IDEMPOTENT.has(method)) break;
    }
    this.stats.failed += 1;
    if (!res.headersSent) {
      res.writeHead(502, { 'Content-Type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: `proxy: ${lastError}` }));
    } else {
      res.destroy();
    }
  }

  private forward(backend: BackendState, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<'done' | { refused: boolean; error: string }> {
    return new Promise((resolve) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
      headers['content-length'] = String(body.length);
      const upstream = http.request(
        { host: backend.host, port: backend.port, method: req.method, path: req.url, headers, agent: this.agent, timeout: 30_000 },
        (response) => {
          const responseHeaders: http.OutgoingHttpHeaders = {};
          for (const [name, value] of Object.entries(response.headers)) if (!HOP_BY_HOP.has(name)) responseHeaders[name] = value;
          res.writeHead(response.statusCode ?? 502, responseHeaders);
          response.pipe(res);
          response.once('end', () => resolve('done'));
          response.once('error', () => {
            res.destroy();
            resolve('done');
          });
        },
      );
      upstream.once('timeout', () => upstream.destroy(new Error('backend timed out')));
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        if (res.headersSent) {
          res.destroy();
          resolve('done');
          return;
        }
        resolve({ refused: error.code === 'ECONNREFUSED', error: error.code ?? error.message });
      });
      upstream.end(body);
    });
  }
}
