// All-or-nothing CSV import: validate everything first, then one COPY inside one transaction.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../db';
import { AppError } from '../errors';
import { validateCsv, type CsvRow } from './csv';
import { copyTimeoutMs } from './export';

export async function importMeasurements(db: Db, csv: string): Promise<number> {
  const { rows, errors } = validateCsv(csv);
  if (errors.length) {
    const lines = new Set(errors.map((error) => error.line)).size;
    throw new AppError(422, 'invalid_csv', `${lines} line(s) of the file are invalid; nothing was imported.`, errors);
  }
  if (!rows.length) return 0;
  // Rows without recordedAt get the import's time, like the column default would.
  const now = new Date();
  await db.withTransaction(async (client) => {
    await client.query(`SET LOCAL statement_timeout = ${copyTimeoutMs}`);
    const copy = copyFrom('COPY measurements (station, kind, value, unit, recorded_at) FROM STDIN');
    Object.assign(copy, { query_timeout: copyTimeoutMs });
    await pipeline(Readable.from(copyChunks(rows, now)), client.query(copy));
  });
  return rows.length;
}

/** Rows in COPY text format, batched into ~64 KiB strings. */
function* copyChunks(rows: readonly CsvRow[], now: Date): Generator<string> {
  let chunk = '';
  for (const { input } of rows) {
    chunk += `${escape(input.station)}\t${escape(input.kind)}\t${input.value}\t${
      input.unit == null ? '\\N' : escape(input.unit)
    }\t${(input.recordedAt ?? now).toISOString()}\n`;
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

const special = /[\\\t\n\r]/g;
const replacements: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escape = (text: string) => text.replace(special, (char) => replacements[char]);
