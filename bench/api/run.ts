// `npm run bench:api`: the API (real build, its own process) vs a bare node:http + pg server
// (bare.ts) and a Koa + @koa/router floor (koa-floor.ts) on the same PostgreSQL, in one run,
// rotating so machine noise hits all of them.
// Prints requests/s, p50/p99 latency, CPU time per request, peak RSS and the API/bare ratio,
// then a 100,000-row CSV import against a bare COPY of the same file (import.ts). Not a test: numbers go into app/api/README.md.
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildCommands, imageNodeArgs } from '../../app/api/test/support/build';
import { createTestDatabase } from '../../app/api/test/support/database';
import { startPostgres } from '../../app/api/test/support/postgres';
import { benchImports, importSummary } from './import';
import { seedMeasurements } from './seed';
import { buildBenchServer, cpuMs, launch, rssMb, scenarios, seedRows, startBenchAuth, stop, type BenchAuth, type Scenario, type Server } from './servers';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrencies = (process.env.BENCH_CONNECTIONS ?? '10,50').split(',').map(Number);
// Each cell is measured in several alternating bare/API rounds; the table shows the median
// round, so one noisy second on the shared machine does not decide a ratio.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
// BENCH_SCENARIOS=by-id,list,post picks rows of the table; BENCH_IMPORTS=0 skips the import.
const only = process.env.BENCH_SCENARIOS?.split(',');
const importRuns = Number(process.env.BENCH_IMPORTS ?? 3);
// The API runs with the node flags of its image (app/api/Dockerfile CMD) unless
// BENCH_API_NODE_ARGS says otherwise; the bare server always runs with node's defaults.
const apiNodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? imageNodeArgs();
// koa-floor.ts (Koa + @koa/router, the API's route table, bare.ts's SQL, node defaults) runs in
// the same rounds unless BENCH_FLOOR=0: how fast the API could be while it keeps both.
const withFloor = process.env.BENCH_FLOOR !== '0';

/** One round: autocannon's averages, the server's peak RSS and its CPU time per request. */
interface Result { rps: number; p50: number; p99: number; rssMb: number; cpuUs: number }

let auth: BenchAuth;

async function main() {
  const pgServer = await startPostgres();
  const database = await createTestDatabase(pgServer.url);
  const servers: Server[] = [];
  const startLoad = os.loadavg()[0];
  auth = await startBenchAuth();
  try {
    await seedMeasurements(database.url, seedRows);
    const dir = await buildCommands();
    const api = await launch(path.join(dir, 'server.js'), database.url, apiNodeArgs, auth);
    servers.push(api);
    const bare = await launch(buildBenchServer(dir, 'bare'), database.url, [], auth);
    servers.push(bare);
    const floor = withFloor ? await launch(buildBenchServer(dir, 'koa-floor'), database.url, [], auth) : undefined;
    if (floor) servers.push(floor);

    const rows: string[] = [];
    const floorRows: string[] = [];
    for (const scenario of scenarios.filter((s) => !only || only.includes(s.id))) {
      for (const connections of concurrencies) {
        const measured = floor ? [bare, api, floor] : [bare, api];
        // Warm every server (JIT, prepared statements on every pooled connection) before measuring.
        for (const server of measured) await load(server, scenario, connections, 2);
        const results = new Map<Server, Result[]>(measured.map((server) => [server, []]));
        for (let round = 0; round < rounds; round++) {
          // Rotate which server goes first so a load change mid-round hits them alike.
          for (let i = 0; i < measured.length; i++) {
            const server = measured[(round + i) % measured.length];
            results.get(server)!.push(await load(server, scenario, connections, seconds));
          }
        }
        const [as, bs] = [results.get(api)!, results.get(bare)!];
        const ratios = as.map((a, i) => a.rps / bs[i].rps);
        const [a, b] = [median(as), median(bs)];
        // CPU time per request is far less sensitive to other processes than requests/s.
        const [aCpu, bCpu] = [middle(as.map((r) => r.cpuUs)), middle(bs.map((r) => r.cpuUs))];
        rows.push(
          `| ${scenario.name} | ${connections} | ${fmt(a.rps)} | ${fmt(b.rps)} | **${pct(a.rps / b.rps)}** (${ratios.map(pct).join(', ')}) | ${ms(a.p50)} / ${ms(a.p99)} | ${ms(b.p50)} / ${ms(b.p99)} | ${(a.p99 / b.p99).toFixed(2)}x | ${aCpu.toFixed(0)} / ${bCpu.toFixed(0)} | ${Math.max(...as.map((r) => r.rssMb)).toFixed(0)} | ${Math.max(...bs.map((r) => r.rssMb)).toFixed(0)} | ${os.loadavg()[0].toFixed(1)} |`,
        );
        console.error(rows[rows.length - 1]);
        if (floor) {
          const floorResults = results.get(floor)!;
          const f = median(floorResults);
          floorRows.push(
            `| ${scenario.name} | ${connections} | ${fmt(f.rps)} | **${pct(f.rps / b.rps)}** (${floorResults.map((r, i) => pct(r.rps / bs[i].rps)).join(', ')}) | ${pct(a.rps / f.rps)} (${as.map((r, i) => pct(r.rps / floorResults[i].rps)).join(', ')}) | ${ms(f.p50)} / ${ms(f.p99)} | ${(f.p99 / b.p99).toFixed(2)}x | ${middle(floorResults.map((r) => r.cpuUs)).toFixed(0)} | ${Math.max(...floorResults.map((r) => r.rssMb)).toFixed(0)} |`,
          );
          console.error(floorRows[floorRows.length - 1]);
        }
      }
    }
    const imports = importRuns > 0 ? await benchImports(api, database.url, importRuns, auth) : [];
    console.log(`\nAPI (node ${apiNodeArgs.join(' ')}) vs bare node:http + pg (node defaults), ${rounds} alternating rounds of ${seconds} s per cell (median round shown, every round's ratio in brackets), same PostgreSQL, seeded ${seedRows} rows; latency in ms (from each response's time, not autocannon's whole-ms histogram); CPU = the server process's user+system CPU µs per request (median round); RSS = peak MB of the server process over all rounds; load = 1-min load average after the cell (${startLoad.toFixed(1)} at the start, ${os.cpus().length} CPUs).\n`);
    console.log('| endpoint | conns | API req/s | bare req/s | API/bare | API p50 / p99 | bare p50 / p99 | p99 ratio | CPU µs/req API / bare | API RSS | bare RSS | load |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(row);
    if (floorRows.length) {
      console.log('\nKoa + @koa/router floor (bench/api/koa-floor.ts: the API\'s route table and bare.ts\'s SQL, nothing else of the API; node defaults), in the same rounds:\n');
      console.log('| endpoint | conns | floor req/s | floor/bare | API/floor | floor p50 / p99 | floor p99 / bare p99 | CPU µs/req floor | floor RSS |');
      console.log('|---|---|---|---|---|---|---|---|---|');
      for (const row of floorRows) console.log(row);
    }
    if (imports.length) console.log(`\n${importSummary(imports)}`);
  } finally {
    for (const server of servers) await stop(server);
    await auth.stop();
    await database.drop();
    await pgServer.stop();
  }
}

async function load({ port, child }: Server, scenario: Scenario, connections: number, duration: number): Promise<Result> {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 100);
  const cpuBefore = cpuMs(child.pid!);
  // autocannon's own percentiles come from a histogram of whole milliseconds: with sub-ms
  // answers a p99 of 1 against 2 ms reads as 2.00x. Each response's time (ms, from hrtime) is
  // kept instead, and the percentiles taken from them.
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        duration,
        requests: [{ method: scenario.method, setupRequest: (req) => ({ ...req, path: scenario.path(), body: scenario.body, headers: { 'content-type': 'application/json', ...auth.headers } }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    run.on('response', (_client, _status, _bytes, responseMs) => times.push(responseMs));
  });
  clearInterval(sampler);
  const cpu = cpuMs(child.pid!) - cpuBefore;
  if (result.non2xx || result.errors) throw new Error(`${scenario.method} ${scenario.path()} on ${port}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  times.sort((x, y) => x - y);
  return { rps: result.requests.average, p50: percentile(times, 0.5), p99: percentile(times, 0.99), rssMb: peak, cpuUs: (cpu * 1000) / result.requests.total };
}

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

const ms = (value: number) => value.toFixed(2);

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

/** The round with the median throughput (its latencies travel with it). */
function median(results: Result[]): Result {
  return [...results].sort((x, y) => x.rps - y.rps)[Math.floor(results.length / 2)];
}

/** The median of plain numbers. */
function middle(values: number[]): number {
  return [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(0)}%`;
}
