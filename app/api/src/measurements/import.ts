// All-or-nothing CSV import: validate everything first, then one COPY inside one transaction.
// Validation turns each valid row straight into COPY text, so memory holds the file and its
// COPY form (both about the file's size), never one object per row.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../db';
import { AppError } from '../errors';
import { validateCsv } from './csv';
import { copyTimeoutMs } from './export';
import type { MeasurementInput } from './schemas';

export async function importMeasurements(db: Db, csv: string): Promise<number> {
  // Rows without recordedAt get the import's time, like the column default would.
  const now = new Date().toISOString();
  const chunks: string[] = [];
  let chunk = '';
  const { count, errors } = validateCsv(csv, ({ input }) => {
    chunk += copyLine(input, now);
    // ~64 KiB strings: few enough writes, and V8 keeps each as one flat string.
    if (chunk.length > 65_536) {
      chunks.push(chunk);
      chunk = '';
    }
  });
  if (errors.length) {
    const lines = new Set(errors.map((error) => error.line)).size;
    throw new AppError(422, 'invalid_csv', `${lines} line(s) of the file are invalid; nothing was imported.`, errors);
  }
  if (chunk) chunks.push(chunk);
  if (!count) return 0;
  await db.withTransaction(async (client) => {
    await client.query(`SET LOCAL statement_timeout = ${copyTimeoutMs}`);
    const copy = copyFrom('COPY measurements (station, kind, value, unit, recorded_at) FROM STDIN');
    Object.assign(copy, { query_timeout: copyTimeoutMs });
    await pipeline(Readable.from(chunks), client.query(copy));
  });
  return count;
}

/** One row in COPY text format. */
function copyLine(input: MeasurementInput, now: string): string {
  const unit = input.unit == null ? '\\N' : escape(input.unit);
  return `${escape(input.station)}\t${escape(input.kind)}\t${input.value}\t${unit}\t${input.recordedAt?.toISOString() ?? now}\n`;
}

const special = /[\\\t\n\r]/g;
const replacements: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escape = (text: string) => text.replace(special, (char) => replacements[char]);
