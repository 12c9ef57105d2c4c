// Streaming CSV export straight from PostgreSQL (COPY ... TO STDOUT, CSV quoting by the
// server), so memory stays flat whatever the size of the filtered set.
import type { Readable } from 'node:stream';
import { escapeLiteral } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Db } from '../db';
import { formulaTriggers } from './csv';
import type { Filters } from './schemas';

/** Long-running COPYs get their own bound instead of the per-request statement timeout. */
export const copyTimeoutMs = 10 * 60 * 1000;

const triggers = [...formulaTriggers].map((char) => escapeLiteral(char)).join(', ');
const neutralised = (column: string, name = column) =>
  `CASE WHEN left(${column}, 1) IN (${triggers}) THEN '''' || ${column} ELSE ${column} END AS "${name}"`;

export async function exportMeasurements(db: Db, filters: Filters): Promise<Readable> {
  // COPY cannot take bind parameters: the (already validated) filters become escaped literals.
  const where: string[] = [];
  if (filters.station !== undefined) where.push(`station = ${escapeLiteral(filters.station)}`);
  if (filters.kind !== undefined) where.push(`kind = ${escapeLiteral(filters.kind)}`);
  if (filters.from !== undefined) where.push(`recorded_at >= ${escapeLiteral(filters.from.toISOString())}::timestamptz`);
  if (filters.to !== undefined) where.push(`recorded_at < ${escapeLiteral(filters.to.toISOString())}::timestamptz`);
  if (filters.unit !== undefined) where.push(filters.unit === '' ? 'unit IS NULL' : `unit = ${escapeLiteral(filters.unit)}`);
  // Text cells a spreadsheet would run as a formula get an apostrophe in front (csv.ts reads
  // it back); value and recordedAt are always a number and a timestamp. The authors are the
  // tokens' subjects, which the identity provider chose: neutralised too.
  const sql = `COPY (
      SELECT ${neutralised('station')}, ${neutralised('kind')}, value, ${neutralised('unit')},
             to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt",
             ${neutralised('created_by', 'createdBy')}, ${neutralised('updated_by', 'updatedBy')}
      FROM measurements ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY recorded_at, id
    ) TO STDOUT WITH (FORMAT csv, HEADER true)`;

  const client = await db.connect();
  let released = false;
  const release = (error?: Error) => {
    if (released) return;
    released = true;
    client.release(error);
  };
  try {
    await client.query(`SET statement_timeout = ${copyTimeoutMs}`);
  } catch (error) {
    release(error as Error);
    throw error;
  }
  const stream = copyTo(sql);
  Object.assign(stream, { query_timeout: copyTimeoutMs });
  // Back to the pool's timeout for the next user of this connection; a connection left
  // mid-COPY (client went away, error) is discarded instead.
  // pg arms a query_timeout timer per query and clears it through query.callback, which
  // pg-copy-streams' CopyToStream never calls: call it when the COPY is over, or the timer
  // outlives the export (keeping the process alive and firing a bogus error later).
  const settle = () => (stream as unknown as { callback?: () => void }).callback?.();
  stream.on('end', () => {
    settle();
    client.query('RESET statement_timeout').then(
      () => release(),
      (error: Error) => release(error),
    );
  });
  stream.on('error', (error) => {
    settle();
    release(error);
  });
  stream.on('close', () => {
    if (stream.readableEnded) return;
    settle();
    release(new Error('export stream closed before the end'));
  });
  return client.query(stream);
}
