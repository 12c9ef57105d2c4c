// `npm run bench:api`: the API (real build, its own process) vs a bare node:http + pg server
// (bare.ts) on the same PostgreSQL, in one run, alternating so machine noise hits both.
// Prints requests/s, p50/p99 latency, peak RSS and the API/bare ratio, then times a
// 100,000-row CSV import. Not a test: numbers go into app/api/README.md.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildCommands, commandEnv } from '../../app/api/test/support/build';
import { createTestDatabase } from '../../app/api/test/support/database';
import { freePort, startPostgres } from '../../app/api/test/support/postgres';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrencies = (process.env.BENCH_CONNECTIONS ?? '10,50').split(',').map(Number);
const seedRows = 10_000;
// Each cell is measured in several alternating bare/API rounds; the table shows the median
// round, so one noisy second on the shared machine does not decide a ratio.
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
// The API runs with the node flags of its image (app/api/Dockerfile CMD) unless
// BENCH_API_NODE_ARGS says otherwise; the bare server always runs with node's defaults.
const apiNodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? imageNodeArgs();

interface Result { rps: number; p50: number; p99: number; rssMb: number }

async function main() {
  const pgServer = await startPostgres();
  const database = await createTestDatabase(pgServer.url);
  const servers: ChildProcess[] = [];
  try {
    await seed(database.url);
    const dir = await buildCommands();
    const bareFile = path.join(dir, 'bare.js');
    execFileSync(require.resolve('esbuild/bin/esbuild'), [path.join(__dirname, 'bare.ts'), '--bundle', '--platform=node', `--outfile=${bareFile}`, '--external:pg-native', '--log-level=warning']);
    const api = await launch(path.join(dir, 'server.js'), database.url, apiNodeArgs);
    const bare = await launch(bareFile, database.url, []);
    servers.push(api.child, bare.child);

    const scenarios: Array<{ name: string; method: 'GET' | 'POST'; path: () => string; body?: string }> = [
      { name: 'GET /api/measurements/:id', method: 'GET', path: () => `/api/measurements/${1 + Math.floor(Math.random() * seedRows)}` },
      { name: 'GET /api/measurements (50 rows)', method: 'GET', path: () => '/api/measurements' },
      { name: 'POST /api/measurements', method: 'POST', path: () => '/api/measurements', body: JSON.stringify({ station: 'bench', kind: 'temperature', value: 21.5, unit: 'celsius' }) },
    ];
    const rows: string[] = [];
    for (const scenario of scenarios) {
      for (const connections of concurrencies) {
        // Warm both (JIT, prepared statements on every pooled connection) before measuring.
        await load(bare.port, bare.child, scenario, connections, 2);
        await load(api.port, api.child, scenario, connections, 2);
        const bs: Result[] = [];
        const as: Result[] = [];
        for (let round = 0; round < rounds; round++) {
          // Alternate which server goes first so a load change mid-round hits both alike.
          if (round % 2 === 0) {
            bs.push(await load(bare.port, bare.child, scenario, connections, seconds));
            as.push(await load(api.port, api.child, scenario, connections, seconds));
          } else {
            as.push(await load(api.port, api.child, scenario, connections, seconds));
            bs.push(await load(bare.port, bare.child, scenario, connections, seconds));
          }
        }
        const ratios = as.map((a, i) => a.rps / bs[i].rps);
        const [a, b] = [median(as), median(bs)];
        rows.push(
          `| ${scenario.name} | ${connections} | ${fmt(a.rps)} | ${fmt(b.rps)} | **${pct(a.rps / b.rps)}** (${ratios.map(pct).join(', ')}) | ${a.p50} / ${a.p99} | ${b.p50} / ${b.p99} | ${(a.p99 / Math.max(b.p99, 1)).toFixed(2)}x | ${Math.max(...as.map((r) => r.rssMb)).toFixed(0)} | ${Math.max(...bs.map((r) => r.rssMb)).toFixed(0)} | ${os.loadavg()[0].toFixed(1)} |`,
        );
        console.error(rows[rows.length - 1]);
      }
    }
    const imports = [];
    for (let run = 0; run < 3; run++) imports.push(await importCsv(api.port, api.child.pid!, 100_000));
    console.log(`\nAPI (node ${apiNodeArgs.join(' ')}) vs bare node:http + pg (node defaults), ${rounds} alternating rounds of ${seconds} s per cell (median round shown, every round's ratio in brackets), same PostgreSQL, seeded ${seedRows} rows; latency in ms; RSS = peak MB of the server process over all rounds; load = 1-min load average after the cell.\n`);
    console.log('| endpoint | conns | API req/s | bare req/s | API/bare | API p50 / p99 | bare p50 / p99 | p99 ratio | API RSS | bare RSS | load |');
    console.log('|---|---|---|---|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(row);
    console.log(`\nCSV import of 100,000 rows (POST /api/measurements/import, ${(imports[0].bytes / 1e6).toFixed(1)} MB): ${imports.map((i) => `${i.ms} ms`).join(', ')}; API peak RSS during imports ${Math.max(...imports.map((i) => i.rssMb)).toFixed(0)} MB`);
  } finally {
    for (const child of servers) child.kill('SIGTERM');
    await database.drop();
    await pgServer.stop();
  }
}

async function seed(url: string) {
  const pg = await import('pg');
  const client = new pg.default.Client({ connectionString: url });
  await client.connect();
  await client.query(`INSERT INTO measurements (station, kind, value, unit, recorded_at)
    SELECT 'station-' || (i % 20), CASE WHEN i % 2 = 0 THEN 'temperature' ELSE 'pm25' END, random() * 40, 'u',
           date_trunc('milliseconds', now()) - (i || ' seconds')::interval
    FROM generate_series(1, ${seedRows}) AS i`);
  await client.query('VACUUM ANALYZE measurements');
  await client.end();
}

/** The flags between `node` and the script in the Dockerfile's exec-form CMD. */
function imageNodeArgs(): string[] {
  const dockerfile = fs.readFileSync(path.join(__dirname, '../../app/api/Dockerfile'), 'utf8');
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
  if (!cmd) throw new Error('app/api/Dockerfile has no exec-form CMD line');
  const argv = JSON.parse(cmd[1]) as string[];
  return argv.slice(1, -1);
}

async function launch(file: string, databaseUrl: string, nodeArgs: string[]): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, file], { env: commandEnv({ DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', PG_POOL_MAX: '10' }), stdio: ['ignore', 'inherit', 'inherit'] });
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await new Promise<boolean>((resolve) => http.get({ host: '127.0.0.1', port, path: '/api/measurements/1' }, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false)));
    if (up) return { port, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${file} did not start`);
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

async function load(port: number, child: ChildProcess, scenario: { method: 'GET' | 'POST'; path: () => string; body?: string }, connections: number, duration: number): Promise<Result> {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 100);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [{ method: scenario.method, setupRequest: (req) => ({ ...req, path: scenario.path(), body: scenario.body, headers: { 'content-type': 'application/json' } }) }],
  });
  clearInterval(sampler);
  if (result.non2xx || result.errors) throw new Error(`${scenario.method} ${scenario.path()} on ${port}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, rssMb: peak };
}

async function importCsv(port: number, pid: number, rows: number) {
  const lines = ['station,kind,value,unit,recordedAt'];
  const start = Date.UTC(2020, 0, 1);
  for (let i = 0; i < rows; i++) lines.push(`import-${i % 50},temperature,${(i % 400) / 10},celsius,${new Date(start + i * 1000).toISOString()}`);
  const body = Buffer.from(`${lines.join('\n')}\n`);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
  const started = Date.now();
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/api/measurements/import', method: 'POST', headers: { 'content-type': 'text/csv', 'content-length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
  const ms = Date.now() - started;
  clearInterval(sampler);
  if (status !== 201) throw new Error(`import answered ${status}`);
  return { ms, bytes: body.length, rssMb: peak };
}

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

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function pct(ratio: number): string {
  return `${(ratio * 100).toFixed(0)}%`;
}
