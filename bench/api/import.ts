// The CSV import benchmark: POST /api/measurements/import of a 100,000-row file against its
// floor, a bare `COPY ... FROM STDIN (FORMAT csv)` of the same bytes through pg-copy-streams
// from this process (no HTTP, no validation), alternating, on the same database. The rows
// each run adds are deleted (and vacuumed) before the next, so every run sees the same table.
import http from 'node:http';
import os from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { rssMb, type Server } from './servers';

export const importRows = 100_000;

/**
 * The file: 50 stations, one temperature a second from 2020-01-01 (every row is valid), in the
 * export's layout with its author columns. The API ignores those and writes the token's subject
 * (`author`, the benchmark's machine client) into created_by and updated_by; the bare COPY
 * writes the same values from the file: both sides store the same seven columns.
 */
export function importFile(author: string, rows = importRows): Buffer {
  const lines = ['station,kind,value,unit,recordedAt,createdBy,updatedBy'];
  const start = Date.UTC(2020, 0, 1);
  for (let i = 0; i < rows; i++) lines.push(`import-${i % 50},temperature,${(i % 400) / 10},celsius,${new Date(start + i * 1000).toISOString()},${author},${author}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

export interface ImportRun {
  /** Size of the imported file. */
  readonly bytes: number;
  readonly apiMs: number;
  readonly bareMs: number;
  /** Peak RSS of the API process during its import. */
  readonly rssMb: number;
  /** 1-min load average after the pair. */
  readonly load: number;
}

/** `runs` alternating pairs of API import and bare COPY; `auth`: the API's caller and its headers. */
export async function benchImports(
  api: Server,
  databaseUrl: string,
  runs: number,
  auth: { readonly subject: string; readonly headers: Readonly<Record<string, string>> },
): Promise<ImportRun[]> {
  const body = importFile(auth.subject);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ max: string }>('SELECT coalesce(max(id), 0) AS max FROM measurements');
    const reset = async () => {
      await client.query('DELETE FROM measurements WHERE id > $1', [rows[0].max]);
      await client.query('VACUUM ANALYZE measurements');
    };
    const results: ImportRun[] = [];
    for (let run = 0; run < runs; run++) {
      let apiResult: { ms: number; rssMb: number };
      let bareMs: number;
      // Alternate which goes first so a load change hits both alike.
      if (run % 2 === 0) {
        bareMs = await bareCopy(client, body);
        await reset();
        apiResult = await apiImport(api, body, auth.headers);
      } else {
        apiResult = await apiImport(api, body, auth.headers);
        await reset();
        bareMs = await bareCopy(client, body);
      }
      await reset();
      results.push({ bytes: body.length, apiMs: apiResult.ms, bareMs, rssMb: apiResult.rssMb, load: os.loadavg()[0] });
    }
    return results;
  } finally {
    await client.end();
  }
}

/** The floor: the same bytes, COPY in CSV format, one transaction, no checks. */
async function bareCopy(client: pg.Client, body: Buffer): Promise<number> {
  const started = performance.now();
  await client.query('BEGIN');
  await pipeline(
    Readable.from([body]),
    client.query(copyFrom('COPY measurements (station, kind, value, unit, recorded_at, created_by, updated_by) FROM STDIN WITH (FORMAT csv, HEADER true)')),
  );
  await client.query('COMMIT');
  return performance.now() - started;
}

async function apiImport({ port, child }: Server, body: Buffer, headers: Readonly<Record<string, string>>): Promise<{ ms: number; rssMb: number }> {
  let peak = rssMb(child.pid!);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 50);
  const started = performance.now();
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: '/api/measurements/import', method: 'POST', headers: { ...headers, 'content-type': 'text/csv', 'content-length': body.length } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    // In 64 KiB writes, as a client's socket would send it.
    for (let at = 0; at < body.length; at += 65_536) req.write(body.subarray(at, at + 65_536));
    req.end();
  });
  const ms = performance.now() - started;
  clearInterval(sampler);
  if (status !== 201) throw new Error(`import answered ${status}`);
  return { ms, rssMb: peak };
}

/** The README line for a set of runs. */
export function importSummary(runs: readonly ImportRun[]): string {
  const bytes = runs[0]?.bytes ?? 0;
  const ratios = runs.map((r) => r.apiMs / r.bareMs);
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
  const each = runs.map((r) => `${r.apiMs.toFixed(0)} / ${r.bareMs.toFixed(0)} ms (${(r.apiMs / r.bareMs).toFixed(2)}x, load ${r.load.toFixed(1)})`).join(', ');
  return `CSV import of ${importRows.toLocaleString('en-US')} rows (${(bytes / 1e6).toFixed(1)} MB), API POST /api/measurements/import / bare COPY of the same bytes: ${each}; median ratio ${median.toFixed(2)}x; API peak RSS during its imports ${Math.max(...runs.map((r) => r.rssMb)).toFixed(0)} MB`;
}
