// `resilience`: the local failure drill. Starts PostgreSQL, the API (N processes behind a
// round-robin proxy) and the front as real processes, keeps steady writes and reads going,
// then injects faults one after the other: SIGKILL an API process (restarted at once, as a
// kubelet would), `pg_ctl restart -m fast`, `pg_ctl restart -m immediate` (a crash and WAL
// recovery). Reports failed requests and recovery per fault, and checks that every write
// acknowledged with a 201 is in the database at the end.
import crypto from 'node:crypto';
import pg from 'pg';
import { duration, formatMs, integer, parseDrillArgs } from './args';
import type { Drill, Io } from './drill';
import { DrillFailure, UsageError } from './errors';
import { waitForOk } from './resilience/processes';
import { phaseReport, phaseTable, type PhaseWindow } from './resilience/report';
import { restartApi, startStack, type Stack } from './resilience/stack';
import { sleep, Traffic, type AckedWrite } from './resilience/traffic';
import { table } from './table';

const FAULTS = ['api-kill', 'pg-restart', 'pg-crash'] as const;
type Fault = (typeof FAULTS)[number];

const HELP = `Usage: npm run resilience -- [options]

Local failure drill (needs the PostgreSQL 15 server binaries; takes about a minute):
  1. starts a throwaway PostgreSQL (durable settings), migrates it with the real migrate
     command, starts --api-processes API processes (the real server bundle) behind a
     round-robin proxy that follows their /readyz like a Kubernetes Service, and the front;
  2. keeps steady traffic going: POST writes and GET reads on the API, pages on the front
     (the client never retries; the proxy retries refused connections, and lost ones only
     for idempotent methods);
  3. injects the faults in order, each followed by a settle period:
       api-kill    SIGKILL one API process, restart it at once
       pg-restart  pg_ctl restart -m fast (clean shutdown)
       pg-crash    pg_ctl restart -m immediate (no shutdown checkpoint: crash recovery)
  4. prints, per phase, requests, failed requests, how long the component took to come back
     and until when requests kept failing; then checks that every write answered 201 is in
     the database (writes lost must be 0).

Options:
  --api-processes <n>   API processes behind the proxy, 1-4 (default 2; with 1, killing it
                        fails every request until it is back)
  --faults <list>       comma-separated subset of ${FAULTS.join(',')} (default: all, in that order)
  --write-rps <n>       writes per second (default 40)
  --read-rps <n>        API reads per second (default 40)
  --front-rps <n>       front page views per second (default 10)
  --skip-front          do not build and start the front
  --warmup <duration>   steady traffic before the first fault (default 5s)
  --settle <duration>   traffic after each faulted component is back (default 8s)
  --max-recovery <duration>  fail when requests keep failing longer than this after a fault (default 15s)
  --timeout-ms <ms>     client deadline of each request (default 5000)
  -h, --help            show this help

Exit codes: 0 no acknowledged write lost and every fault recovered within --max-recovery,
1 otherwise, 2 bad arguments.`;

interface Options {
  readonly apiProcesses: number;
  readonly faults: readonly Fault[];
  readonly writeRps: number;
  readonly readRps: number;
  readonly frontRps: number;
  readonly withFront: boolean;
  readonly warmupMs: number;
  readonly settleMs: number;
  readonly maxRecoveryMs: number;
  readonly timeoutMs: number;
}

export function parseResilienceArgs(argv: readonly string[]): Options | 'help' {
  const args = parseDrillArgs(argv, {
    'api-processes': { type: 'string' },
    faults: { type: 'string' },
    'write-rps': { type: 'string' },
    'read-rps': { type: 'string' },
    'front-rps': { type: 'string' },
    'skip-front': { type: 'boolean' },
    warmup: { type: 'string' },
    settle: { type: 'string' },
    'max-recovery': { type: 'string' },
    'timeout-ms': { type: 'string' },
  });
  if (args.help) return 'help';
  const faults = (args.faults ?? FAULTS.join(',')).split(',').map((fault) => fault.trim());
  for (const fault of faults) {
    if (!(FAULTS as readonly string[]).includes(fault)) throw new UsageError(`--faults: unknown fault "${fault}" (expected a comma-separated subset of ${FAULTS.join(',')})`);
  }
  const minute = 60_000;
  return {
    apiProcesses: integer(args['api-processes'], '--api-processes', 2, 1, 4),
    faults: faults as Fault[],
    writeRps: integer(args['write-rps'], '--write-rps', 40, 1, 2000),
    readRps: integer(args['read-rps'], '--read-rps', 40, 0, 2000),
    frontRps: integer(args['front-rps'], '--front-rps', 10, 0, 500),
    withFront: !args['skip-front'],
    warmupMs: duration(args.warmup, '--warmup', 5000, 1000, 10 * minute),
    settleMs: duration(args.settle, '--settle', 8000, 2000, 10 * minute),
    maxRecoveryMs: duration(args['max-recovery'], '--max-recovery', 15_000, 100, 10 * minute),
    timeoutMs: integer(args['timeout-ms'], '--timeout-ms', 5000, 100, 600_000),
  };
}

/** Injects one fault; resolves with how long the faulted component took to be ready again. */
async function inject(fault: Fault, stack: Stack, io: Io): Promise<number> {
  const started = Date.now();
  switch (fault) {
    case 'api-kill': {
      const victim = stack.apis[0];
      if (victim === undefined) throw new Error('no API process to kill');
      const pid = victim.process.pid;
      await victim.process.kill('SIGKILL');
      io.out(`  SIGKILL ${victim.process.name} (pid ${pid}); restarting it`);
      await restartApi(victim);
      io.out(`  ${victim.process.name} ready again as pid ${victim.process.pid}`);
      return Date.now() - started;
    }
    case 'pg-restart':
    case 'pg-crash': {
      const mode = fault === 'pg-restart' ? 'fast' : 'immediate';
      io.out(`  pg_ctl restart -m ${mode}`);
      await stack.postgres.restart(mode);
      // Back means every API process says it is ready again (their management ports).
      await Promise.all(stack.apis.map((api) => waitForOk(`${api.managementUrl}/readyz`, 60_000)));
      return Date.now() - started;
    }
  }
}

async function verifyWrites(databaseUrl: string, station: string, acked: readonly AckedWrite[]): Promise<{ lost: AckedWrite[]; stored: number; unacknowledged: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = (await client.query<{ id: string; value: number }>('SELECT id::text AS id, value FROM measurements WHERE station = $1', [station])).rows;
    const stored = new Map(rows.map((row) => [row.id, Number(row.value)]));
    const lost = acked.filter((write) => stored.get(write.id) !== write.value);
    return { lost, stored: rows.length, unacknowledged: rows.length - (acked.length - lost.length) };
  } finally {
    await client.end();
  }
}

async function run(argv: readonly string[], io: Io): Promise<void> {
  const options = parseResilienceArgs(argv);
  if (options === 'help') {
    io.out(HELP);
    return;
  }
  // Ctrl-C: exit through process.exit so the exit hooks kill the children and PostgreSQL.
  const onInterrupt = () => process.exit(130);
  process.once('SIGINT', onInterrupt);
  const stack = await startStack({ apiProcesses: options.apiProcesses, withFront: options.withFront, log: (line) => io.out(`setup: ${line}`) });
  try {
    const station = `resilience-${Date.now().toString(36)}-${crypto.randomBytes(3).toString('hex')}`;
    const traffic = new Traffic({
      apiUrl: stack.apiUrl,
      apiHeaders: stack.apiHeaders,
      frontUrl: stack.frontUrl,
      frontHeaders: stack.frontHeaders,
      station,
      writeRps: options.writeRps,
      readRps: options.readRps,
      frontRps: options.frontRps,
      timeoutMs: options.timeoutMs,
    });
    io.out(`traffic: ${options.writeRps} writes/s, ${options.readRps} reads/s${stack.frontUrl ? `, ${options.frontRps} front pages/s` : ''} (station ${station})`);
    const windows: PhaseWindow[] = [];
    const warmupStart = traffic.now();
    await sleep(options.warmupMs);
    windows.push({ name: 'steady, no fault', start: warmupStart, end: traffic.now(), fault: false });
    for (const fault of options.faults) {
      const start = traffic.now();
      io.out(`fault ${fault} at +${formatMs(start)}`);
      const componentBackMs = await inject(fault, stack, io);
      io.out(`  back after ${formatMs(componentBackMs)}; settling for ${formatMs(options.settleMs)}`);
      await sleep(options.settleMs);
      windows.push({ name: fault, start, end: traffic.now(), fault: true, componentBackMs });
    }
    await traffic.stop();
    // Answers that arrive while stopping still belong to the last phase.
    const last = windows[windows.length - 1];
    if (last) windows[windows.length - 1] = { ...last, end: traffic.now() + 1 };
    const reports = windows.map((window) => phaseReport(window, traffic.outcomes, Math.min(2000, options.settleMs / 2)));
    const verification = await verifyWrites(stack.databaseUrl, station, traffic.acked);

    io.out('');
    io.out(phaseTable(reports));
    io.out('');
    const failedTotal = reports.reduce((sum, report) => sum + report.failedTotal, 0);
    io.out(
      table(
        ['writes and requests', 'count'],
        [
          ['requests sent', String(traffic.outcomes.length)],
          ['requests failed (no 2xx)', String(failedTotal)],
          ['proxy retries (refused or lost connection)', String(stack.proxy.stats.retried)],
          ['writes acknowledged (201)', String(traffic.acked.length)],
          ['rows in the database for the run', String(verification.stored)],
          ['committed but not acknowledged', String(verification.unacknowledged)],
          ['acknowledged writes lost', String(verification.lost.length)],
        ],
      ),
    );

    const problems: string[] = [];
    if (traffic.acked.length === 0) problems.push('no write was acknowledged: the drill proved nothing');
    if (verification.lost.length > 0) problems.push(`${verification.lost.length} acknowledged write(s) missing or changed, e.g. id ${verification.lost[0]?.id}`);
    for (const report of reports) {
      if (!report.window.fault && report.failedTotal > 0) problems.push(`${report.failedTotal} request(s) failed with no fault injected (${report.failureKinds.join(', ')})`);
      if (report.window.fault && !report.recovered) problems.push(`${report.window.name}: requests were still failing at the end of the phase`);
      else if (report.window.fault && report.recoveryMs > options.maxRecoveryMs) problems.push(`${report.window.name}: requests kept failing for ${formatMs(report.recoveryMs)}, above --max-recovery ${formatMs(options.maxRecoveryMs)}`);
    }
    if (problems.length > 0) throw new DrillFailure(problems.join('; '));
    io.out(`resilience: passed (${traffic.acked.length} acknowledged writes, 0 lost; every fault recovered within ${formatMs(options.maxRecoveryMs)})`);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    await stack.stop();
  }
}

export const resilience: Drill = { name: 'resilience', summary: 'local: kill an API process and restart PostgreSQL under load; writes lost must be 0', help: HELP, run };
