// One variant of the pg query-timeout reproduction (pg-query-timeout.ts starts one process per
// variant with --trace-gc-nvp): runs the API's 50-row list query `QUERIES` times, 10 at a time,
// on a pool of 10, and prints CPU µs per query and peak RSS as one JSON line on stdout.
import pg from 'pg';
import { columns } from '../../app/api/src/measurements/repository';
import { clientWithQueryDeadline } from '../../app/api/src/query-deadline';

type Variant = 'promise' | 'promise+query_timeout' | 'callback' | 'callback+query_timeout' | 'callback+own-timer' | 'promise+deadline-client';
const variant = process.argv[2] as Variant;
const total = Number(process.env.QUERIES ?? 20_000);
const timeout = variant.endsWith('query_timeout') ? { query_timeout: 6000 } : {};
// The API's fix: the same deadline, kept by a Client subclass with its own timer.
const client = variant.endsWith('deadline-client') ? { Client: clientWithQueryDeadline(6000) } : {};
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10, ...timeout, ...client });
const query = { name: 'list', text: `SELECT ${columns} FROM measurements ORDER BY measurements.recorded_at DESC, measurements.id DESC LIMIT $1`, values: [51] };

function once(): Promise<unknown> {
  if (variant.startsWith('promise')) return pool.query(query);
  return new Promise((resolve, reject) => {
    // A deadline timer of our own around a callback-style pool.query (no option).
    const timer = variant === 'callback+own-timer' ? setTimeout(() => reject(new Error('deadline')), 6000) : undefined;
    pool.query(query, (error: Error | undefined, result: pg.QueryResult) => {
      if (timer) clearTimeout(timer);
      if (error) reject(error);
      else resolve(result);
    });
  });
}

async function main() {
  // Warm-up: prepare the statement on every connection and let the JIT settle.
  await Promise.all(Array.from({ length: 10 }, async () => { for (let i = 0; i < 200; i++) await once(); }));
  console.error('--- measured ---');
  const cpu = process.cpuUsage();
  const started = performance.now();
  let left = total;
  await Promise.all(Array.from({ length: 10 }, async () => { while (left-- > 0) await once(); }));
  const used = process.cpuUsage(cpu);
  console.log(JSON.stringify({
    variant,
    cpuUsPerQuery: (used.user + used.system) / total,
    wallUsPerQuery: ((performance.now() - started) * 1000) / total,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }));
  await pool.end();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
