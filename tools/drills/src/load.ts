// `load`: a bounded load profile against a base URL with autocannon. Phases run one after the
// other (ramp stages at 1/4, 2/4 and 3/4 of the connections, steady at all of them, a quarter
// for the cool-down), each printing its own rps, latency percentiles and errors, so the HPA
// can be watched scaling up and back down (`kubectl get hpa -w`).
import crypto from 'node:crypto';
import autocannon from 'autocannon';
import { baseUrl, decimal, duration, formatMs, integer, parseDrillArgs } from './args';
import type { Drill, Io } from './drill';
import { DrillFailure } from './errors';
import { bearer, expectStatus, json, request } from './http';
import { table } from './table';

const HELP = `Usage: npm run load -- --base-url <api-url> [options]

Drives a bounded read load (list, get-by-id and stats requests, round-robin on each
connection) through three phases: a ramp (3 stages at 1/4, 2/4, 3/4 of --connections), a
steady phase at --connections, and a cool-down at 1/4. Prints requests/s, latency
p50/p90/p99, connection errors and non-2xx responses per phase. Creates one measurement
(station load-<time>-<random>) to read by id and deletes it at the end.

In a cluster, run it against the API URL while watching the autoscaler in another terminal:
  kubectl -n ecodata-prod get hpa api -w   (only prod has HPAs)

The API needs a bearer token: set API_TOKEN to an access token with the editor role (it
creates and deletes its one measurement), e.g. a client-credentials token of a machine client.

Options:
  --base-url <url>           API base URL (required)
  --connections <n>          concurrent connections in the steady phase (default 20)
  --ramp <duration>          ramp length, split in 3 stages (default 15s; 0 skips it)
  --steady <duration>        steady phase length (default 30s)
  --cooldown <duration>      cool-down length (default 10s; 0 skips it)
  --max-rps <n>              cap on requests/s across all connections (default: no cap)
  --max-error-ratio <ratio>  fail when (errors + non-2xx) / requests exceeds it (default 0.01)
  --timeout <duration>       per-request timeout (default 10s)
  -h, --help                 show this help
Durations: 500ms, 10s, 2m, or a bare number of seconds.

Exit codes: 0 the error ratio stayed within bounds, 1 it did not (or nothing answered), 2 bad arguments.`;

export interface Phase {
  readonly name: string;
  readonly connections: number;
  readonly durationMs: number;
}

export interface PhaseResult {
  readonly phase: Phase;
  readonly requests: number;
  readonly rps: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly errors: number;
  readonly non2xx: number;
}

/** The phases of a profile; phases of zero length are left out. */
export function profile(connections: number, rampMs: number, steadyMs: number, cooldownMs: number): Phase[] {
  const atFraction = (fraction: number) => Math.max(1, Math.round(connections * fraction));
  const phases: Phase[] = [];
  if (rampMs > 0) {
    const stageMs = Math.max(1, Math.round(rampMs / 3));
    for (const [index, fraction] of [0.25, 0.5, 0.75].entries()) phases.push({ name: `ramp ${index + 1}/3`, connections: atFraction(fraction), durationMs: stageMs });
  }
  phases.push({ name: 'steady', connections, durationMs: steadyMs });
  if (cooldownMs > 0) phases.push({ name: 'cool-down', connections: atFraction(0.25), durationMs: cooldownMs });
  return phases;
}

export async function runPhase(phase: Phase, options: { url: string; paths: readonly string[]; maxRps?: number; timeoutS: number; headers?: Record<string, string> }): Promise<PhaseResult> {
  const result = await autocannon({
    url: options.url,
    connections: phase.connections,
    duration: phase.durationMs / 1000,
    overallRate: options.maxRps,
    timeout: options.timeoutS,
    headers: options.headers,
    requests: options.paths.map((path) => ({ method: 'GET', path })),
  });
  return {
    phase,
    requests: result.requests.total,
    rps: result.duration > 0 ? result.requests.total / result.duration : 0,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export function resultTable(results: readonly PhaseResult[]): string {
  const total = results.reduce(
    (sum, r) => ({ requests: sum.requests + r.requests, durationMs: sum.durationMs + r.phase.durationMs, errors: sum.errors + r.errors, non2xx: sum.non2xx + r.non2xx }),
    { requests: 0, durationMs: 0, errors: 0, non2xx: 0 },
  );
  return table(
    ['phase', 'conns', 'duration', 'requests', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'errors', 'non-2xx'],
    [
      ...results.map((r) => [r.phase.name, String(r.phase.connections), formatMs(r.phase.durationMs), String(r.requests), r.rps.toFixed(0), String(r.p50), String(r.p90), String(r.p99), String(r.errors), String(r.non2xx)]),
      ['total', '', formatMs(total.durationMs), String(total.requests), (total.requests / (total.durationMs / 1000)).toFixed(0), '', '', '', String(total.errors), String(total.non2xx)],
    ],
  );
}

async function run(argv: readonly string[], io: Io): Promise<void> {
  const args = parseDrillArgs(argv, {
    'base-url': { type: 'string' },
    connections: { type: 'string' },
    ramp: { type: 'string' },
    steady: { type: 'string' },
    cooldown: { type: 'string' },
    'max-rps': { type: 'string' },
    'max-error-ratio': { type: 'string' },
    timeout: { type: 'string' },
  });
  if (args.help) {
    io.out(HELP);
    return;
  }
  const url = baseUrl(args['base-url'], '--base-url');
  const connections = integer(args.connections, '--connections', 20, 1, 10_000);
  const hour = 3_600_000;
  const phases = profile(
    connections,
    duration(args.ramp, '--ramp', 15_000, 0, hour),
    duration(args.steady, '--steady', 30_000, 100, hour),
    duration(args.cooldown, '--cooldown', 10_000, 0, hour),
  );
  const maxRps = args['max-rps'] === undefined ? undefined : integer(args['max-rps'], '--max-rps', 0, 1, 10_000_000);
  const maxErrorRatio = decimal(args['max-error-ratio'], '--max-error-ratio', 0.01, 0, 1);
  const timeoutS = duration(args.timeout, '--timeout', 10_000, 1000, 600_000) / 1000;

  // One row to read by id; also proves the API answers before load starts.
  const station = `load-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;
  const auth = bearer(io);
  const seeded = await request(`${url}/api/measurements`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...auth },
    body: JSON.stringify({ station, kind: 'temperature', value: 20, unit: 'C' }),
    timeoutMs: timeoutS * 1000,
  });
  expectStatus(seeded, 201, `seeding POST ${url}/api/measurements${auth.Authorization ? '' : ' (API_TOKEN is not set)'}`);
  const { id } = json<{ id: string }>(seeded, 'seeding POST /api/measurements');
  const paths = ['/api/measurements?limit=50', `/api/measurements/${id}`, '/api/stats'];

  io.out(`load: ${url}, ${phases.length} phases, peak ${connections} connections${maxRps ? `, at most ${maxRps} req/s` : ''}`);
  io.out(`load: requests ${paths.join(', ')}`);
  const results: PhaseResult[] = [];
  try {
    for (const phase of phases) {
      const result = await runPhase(phase, { url, paths, maxRps, timeoutS, headers: auth });
      results.push(result);
      io.out(`  ${phase.name.padEnd(9)} ${String(phase.connections).padStart(5)} conns ${result.rps.toFixed(0).padStart(7)} req/s  p99 ${result.p99} ms  errors ${result.errors}  non-2xx ${result.non2xx}`);
    }
  } finally {
    // The seeded row is never written again: If-Match: * is its only version's precondition.
    const removed = await request(`${url}/api/measurements/${id}`, { method: 'DELETE', headers: { 'If-Match': '*', ...auth }, timeoutMs: timeoutS * 1000 }).catch(() => undefined);
    if (removed?.status !== 204) io.err(`load: could not delete the seeded measurement ${id} (station ${station})`);
  }
  io.out('');
  io.out(resultTable(results));
  const requests = results.reduce((sum, r) => sum + r.requests, 0);
  const failed = results.reduce((sum, r) => sum + r.errors + r.non2xx, 0);
  if (requests === 0) throw new DrillFailure('no request completed');
  const ratio = failed / requests;
  if (ratio > maxErrorRatio) {
    throw new DrillFailure(`${failed} of ${requests} requests failed (${(ratio * 100).toFixed(2)}%, above --max-error-ratio ${maxErrorRatio})`);
  }
  io.out(`load: ${requests} requests, ${failed} failed (${(ratio * 100).toFixed(2)}%, bound ${(maxErrorRatio * 100).toFixed(2)}%)`);
}

export const load: Drill = { name: 'load', summary: 'bounded ramp/steady/cool-down load with autocannon; watch the HPA', help: HELP, run };

