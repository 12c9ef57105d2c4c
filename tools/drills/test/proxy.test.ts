// The resilience drill's round-robin proxy: readiness-following rotation and its retry rules.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '../../../app/api/test/support';
import { RoundRobinProxy } from '../src/resilience/proxy';

interface Backend {
  readonly url: string;
  readonly hits: string[];
  ready: boolean;
  close(): Promise<void>;
}

/** A backend that answers 200 "<name>" (or drops the connection when `drop` is set), and /readyz per `ready`. */
async function backend(name: string, options: { drop?: boolean } = {}): Promise<Backend> {
  const hits: string[] = [];
  const state = { ready: true };
  const server = http.createServer((req, res) => {
    if (req.url === '/readyz') {
      res.writeHead(state.ready ? 200 : 503).end();
      return;
    }
    req.resume();
    req.on('end', () => {
      hits.push(`${req.method} ${req.url}`);
      if (options.drop) req.socket.destroy();
      else res.writeHead(200, { 'Content-Type': 'text/plain' }).end(name);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    get ready() {
      return state.ready;
    },
    set ready(value: boolean) {
      state.ready = value;
    },
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    },
  };
}

async function send(url: string, method: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { method, body: method === 'POST' ? '{}' : undefined });
  return { status: response.status, body: await response.text() };
}

describe('round-robin proxy', () => {
  const cleanUps: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp();
  });
  async function proxyFor(backends: { name: string; url: string }[]) {
    const proxy = new RoundRobinProxy(backends, 50);
    const url = await proxy.listen();
    cleanUps.push(() => proxy.close());
    return { proxy, url };
  }

  it('alternates between ready backends', async () => {
    const a = await backend('a');
    const b = await backend('b');
    cleanUps.push(a.close, b.close);
    const { url } = await proxyFor([{ name: 'a', url: a.url }, { name: 'b', url: b.url }]);
    const bodies = [];
    for (let i = 0; i < 4; i += 1) bodies.push((await send(`${url}/x`, 'GET')).body);
    expect(bodies).toEqual(['a', 'b', 'a', 'b']);
  });

  it('sends a request whose connection was refused to the next backend, whatever its method', async () => {
    const b = await backend('b');
    cleanUps.push(b.close);
    const { proxy, url } = await proxyFor([{ name: 'gone', url: `http://127.0.0.1:${await freePort()}` }, { name: 'b', url: b.url }]);
    expect(await send(`${url}/w`, 'POST')).toEqual({ status: 200, body: 'b' });
    expect(await send(`${url}/r`, 'GET')).toEqual({ status: 200, body: 'b' });
    expect(proxy.stats.retried).toBeGreaterThanOrEqual(1);
    expect(proxy.stats.failed).toBe(0);
  });

  it('answers 502 to a POST whose connection was lost after sending it, and retries a GET elsewhere', async () => {
    const dropping = await backend('dropping', { drop: true });
    const b = await backend('b');
    cleanUps.push(dropping.close, b.close);
    const { proxy, url } = await proxyFor([{ name: 'dropping', url: dropping.url }, { name: 'b', url: b.url }]);
    const post = await send(`${url}/w`, 'POST');
    expect(post.status).toBe(502);
    expect(post.body).toMatch(/proxy: dropping: (ECONNRESET|socket hang up)/);
    expect(b.hits).toEqual([]);
    // Two GETs: round-robin starts one of them on the dropping backend.
    expect(await send(`${url}/r`, 'GET')).toEqual({ status: 200, body: 'b' });
    expect(await send(`${url}/r`, 'GET')).toEqual({ status: 200, body: 'b' });
    expect(dropping.hits).toEqual(['POST /w', 'GET /r']);
    expect(proxy.stats).toEqual({ failed: 1, retried: 1 });
  });

  it('stops routing to a backend whose readiness fails, and routes to it again when it recovers', async () => {
    const a = await backend('a');
    const b = await backend('b');
    cleanUps.push(a.close, b.close);
    const { url } = await proxyFor([{ name: 'a', url: a.url }, { name: 'b', url: b.url }]);
    a.ready = false;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const whileUnready = [];
    for (let i = 0; i < 4; i += 1) whileUnready.push((await send(`${url}/x`, 'GET')).body);
    expect(whileUnready).toEqual(['b', 'b', 'b', 'b']);
    a.ready = true;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = new Set<string>();
    for (let i = 0; i < 4; i += 1) after.add((await send(`${url}/x`, 'GET')).body);
    expect([...after].sort()).toEqual(['a', 'b']);
  });
});
