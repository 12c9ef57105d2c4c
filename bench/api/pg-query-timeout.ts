// Reproduction for an upstream pg report: with `query_timeout` set (pool or client option),
// each query's result is promoted to V8's old space, so a service pays scavenges that copy
// every result and old-generation growth (RSS) it would not pay without the option.
// `npm run bench:pg-query-timeout` (QUERIES=20000 by default): one
// process per variant on one throwaway PostgreSQL, GC traced with --trace-gc-nvp; prints a
// table of CPU µs per query, bytes promoted per query, scavenges and mark-compacts.
// VARIANTS=a,b picks variants; NODE_ARGS adds node flags to each.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../../app/api/test/support/database';
import { startPostgres } from '../../app/api/test/support/postgres';
import { seedMeasurements } from './seed';

const variants = ['promise', 'promise+query_timeout', 'callback', 'callback+query_timeout', 'callback+own-timer', 'promise+deadline-client'];
const total = Number(process.env.QUERIES ?? 20_000);
// Extra V8/node flags for every variant, e.g. NODE_ARGS=--no-allocation-site-pretenuring.
const nodeArgs = process.env.NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const only = process.env.VARIANTS?.split(',') ?? variants;

interface Gc { scavenges: number; markCompacts: number; promoted: number; scavengeMs: number }

/** Sums --trace-gc-nvp lines written after the worker's "--- measured ---" marker. */
function summarizeGc(trace: string): Gc {
  const gc: Gc = { scavenges: 0, markCompacts: 0, promoted: 0, scavengeMs: 0 };
  const measured = trace.slice(trace.indexOf('--- measured ---'));
  for (const line of measured.split('\n')) {
    const kind = / gc=(\w+) /.exec(line)?.[1];
    if (!kind) continue;
    const field = (name: string) => Number(new RegExp(` ${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
    gc.promoted += field('promoted');
    if (kind === 's') {
      gc.scavenges++;
      gc.scavengeMs += field('pause');
    } else if (kind === 'ms' || kind === 'mc') gc.markCompacts++;
  }
  return gc;
}

async function main() {
  const server = await startPostgres();
  const database = await createTestDatabase(server.url);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-query-timeout-'));
  try {
    await seedMeasurements(database.url, 10_000);
    const worker = path.join(dir, 'worker.js');
    execFileSync(require.resolve('esbuild/bin/esbuild'), [path.join(__dirname, 'pg-query-timeout-worker.ts'), '--bundle', '--platform=node', `--outfile=${worker}`, '--external:pg-native', '--log-level=warning']);
    console.log(`pg ${pgVersion()}, node ${process.version} ${nodeArgs.join(' ')}, ${total} list queries (51 rows) per variant, 10 concurrent, pool of 10; load ${os.loadavg()[0].toFixed(1)}\n`);
    console.log('| variant | CPU µs/query | promoted B/query | scavenges | scavenge µs/query | mark-compacts | peak RSS MB |');
    console.log('|---|---|---|---|---|---|---|');
    for (const variant of only) {
      const child = spawn(process.execPath, [...nodeArgs, '--trace-gc-nvp', worker, variant], { env: { ...process.env, DATABASE_URL: database.url, QUERIES: String(total) } });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      child.stderr.on('data', (chunk) => (err += chunk));
      const code = await new Promise((resolve) => child.on('close', resolve));
      // --trace-gc-nvp writes to stdout; the JSON result is the last line.
      const lines = out.trim().split('\n');
      if (code !== 0) throw new Error(`${variant} failed (${code}): ${err}`);
      const result = JSON.parse(lines[lines.length - 1]) as { cpuUsPerQuery: number; maxRssMb: number };
      const gc = summarizeGc(err + out);
      console.log(`| ${variant} | ${result.cpuUsPerQuery.toFixed(0)} | ${(gc.promoted / total).toFixed(0)} | ${gc.scavenges} | ${((gc.scavengeMs * 1000) / total).toFixed(1)} | ${gc.markCompacts} | ${result.maxRssMb.toFixed(0)} |`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await database.drop();
    await server.stop();
  }
}

/** The installed pg version, for the report. */
function pgVersion(): string {
  return (JSON.parse(fs.readFileSync(require.resolve('pg/package.json'), 'utf8')) as { version: string }).version;
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
