// All-or-nothing CSV import: validate everything first, then one COPY inside one transaction.
// Validation turns each valid row straight into COPY text, so memory holds the file and its
// COPY form (both about the file's size), never one object per row.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from '../db';
import { AppError, type ProblemDetail } from '../errors';
import { validateCsv } from './csv';
import { copyTimeoutMs } from './export';
import type { MeasurementInput } from './schemas';

/**
 * Imports in its own transaction, or in `transaction` when the caller holds one (idempotent
 * requests). `author` (the token's subject) becomes every row's created_by and updated_by.
 */
export async function importMeasurements(db: Db, csv: string, author: string, transaction?: pg.PoolClient): Promise<number> {
  // Rows without recordedAt get the import's time, like the column default would.
  const now = new Date().toISOString();
  const authors = `\t${escape(author)}\t${escape(author)}\n`;
  const chunks: string[] = [];
  let chunk = '';
  const { count, errors, totalErrors } = validateCsv(csv, ({ input }) => {
    chunk += copyLine(input, now, authors);
    // ~64 KiB strings: few enough writes, and V8 keeps each as one flat string.
    if (chunk.length > 65_536) {
      chunks.push(chunk);
      chunk = '';
    }
  });
  if (errors.length) throw csvRejected(errors, totalErrors);
  if (chunk) chunks.push(chunk);
  if (!count) return 0;
  const copyRows = async (client: pg.PoolClient) => {
    await client.query(`SET LOCAL statement_timeout = ${copyTimeoutMs}`);
    const copy = copyFrom('COPY measurements (station, kind, value, unit, recorded_at, created_by, updated_by) FROM STDIN');
    Object.assign(copy, { query_timeout: copyTimeoutMs });
    await pipeline(Readable.from(chunks), client.query(copy));
  };
  if (transaction) await copyRows(transaction);
  else await db.withTransaction(copyRows);
  return count;
}

function csvRejected(errors: readonly ProblemDetail[], total: number): AppError {
  const lines = new Set(errors.map((error) => error.line)).size;
  const shown = errors.length < total ? ` The first ${errors.length} of ${total} errors are listed.` : '';
  return new AppError(422, 'invalid_csv', `The file has ${total} error(s)${errors.length < total ? '' : ` on ${lines} line(s)`}; nothing was imported.${shown}`, errors, {
    extensions: { totalErrors: total },
  });
}

/** One row in COPY text format; `authors` is the tab-led created_by and updated_by, and the line end. */
function copyLine(input: MeasurementInput, now: string, authors: string): string {
  const unit = input.unit == null ? '\\N' : escape(input.unit);
  return `${escape(input.station)}\t${escape(input.kind)}\t${input.value}\t${unit}\t${input.recordedAt?.toISOString() ?? now}${authors}`;
}

const special = /[\\\t\n\r]/g;
const replacements: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escape = (text: string) => text.replace(special, (char) => replacements[char]);
