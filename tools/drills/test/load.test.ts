// The load drill: its profile, and a very short run against the real API on PostgreSQL.
import { main } from '../src/cli';
import { profile } from '../src/load';
import { captureIo } from './support/io';
import { startLocalApi, type LocalApi } from './support/local-api';

describe('load profile', () => {
  it('ramps through a quarter, half and three quarters of the connections, then holds them, then cools down at a quarter', () => {
    expect(profile(20, 15_000, 30_000, 10_000)).toEqual([
      { name: 'ramp 1/3', connections: 5, durationMs: 5000 },
      { name: 'ramp 2/3', connections: 10, durationMs: 5000 },
      { name: 'ramp 3/3', connections: 15, durationMs: 5000 },
      { name: 'steady', connections: 20, durationMs: 30_000 },
      { name: 'cool-down', connections: 5, durationMs: 10_000 },
    ]);
  });

  it('leaves out a ramp and a cool-down of zero length and never uses fewer than one connection', () => {
    expect(profile(1, 0, 2000, 0)).toEqual([{ name: 'steady', connections: 1, durationMs: 2000 }]);
    expect(profile(2, 300, 1000, 100).map((phase) => phase.connections)).toEqual([1, 1, 2, 2, 1]);
  });
});

describe('load against the real API', () => {
  let api: LocalApi;
  // Turns GET /api/stats into a 404 on the way in, to produce non-2xx answers on demand.
  let breakStats = false;
  beforeAll(async () => {
    api = await startLocalApi({
      alter: (req) => {
        if (breakStats && req.url === '/api/stats') req.url = '/api/no-such-route';
      },
    });
  });
  afterAll(async () => {
    await api?.stop();
  });

  it('reports requests, requests per second and latency percentiles for every phase, and removes its seeded row', async () => {
    const io = captureIo({ API_TOKEN: api.token });
    const code = await main(['load', '--base-url', api.url, '--connections', '4', '--ramp', '0', '--steady', '1s', '--cooldown', '500ms'], io);
    expect({ code, stderr: io.stderr() }).toEqual({ code: 0, stderr: '' });
    const rows = io
      .stdout()
      .split('\n')
      .filter((line) => /^(steady|cool-down|total) /.test(line))
      .map((line) => line.trim().split(/\s+/));
    expect(rows.map((row) => row[0])).toEqual(['steady', 'cool-down', 'total']);
    const [steady] = rows;
    // phase conns duration requests req/s p50 p90 p99 errors non-2xx
    const [, conns, , requests, rps, p50, p90, p99, errors, non2xx] = steady ?? [];
    expect(Number(conns)).toBe(4);
    expect(Number(requests)).toBeGreaterThan(0);
    expect(Number(rps)).toBeGreaterThan(0);
    expect(Number(p50)).toBeGreaterThanOrEqual(0);
    expect(Number(p99)).toBeGreaterThan(0);
    expect(Number(p90)).toBeLessThanOrEqual(Number(p99));
    expect([errors, non2xx]).toEqual(['0', '0']);
    expect(io.stdout()).toMatch(/^load: \d+ requests, 0 failed \(0\.00%, bound 1\.00%\)$/m);
    expect(await api.count()).toBe(0);
  });

  it('fails when more requests than --max-error-ratio allows get a non-2xx answer', async () => {
    breakStats = true;
    try {
      const io = captureIo({ API_TOKEN: api.token });
      const code = await main(['load', '--base-url', api.url, '--connections', '2', '--ramp', '0', '--steady', '500ms', '--cooldown', '0', '--max-error-ratio', '0.2'], io);
      expect(code).toBe(1);
      expect(io.stderr()).toMatch(/^load: \d+ of \d+ requests failed \((2\d|3\d|4\d)\.\d\d%, above --max-error-ratio 0\.2\)$/);
    } finally {
      breakStats = false;
    }
  });

  it('fails before any load when the base URL does not accept a measurement', async () => {
    const io = captureIo({ API_TOKEN: api.token });
    const code = await main(['load', '--base-url', `${api.url}/no-such-prefix`, '--steady', '500ms', '--ramp', '0', '--cooldown', '0'], io);
    expect(code).toBe(1);
    expect(io.stderr()).toMatch(/^load: seeding POST .*\/no-such-prefix\/api\/measurements: expected HTTP 201, got 404/);
  });
});
