// All-or-nothing CSV import, streamed: the request body goes through the UTF-8 check and the
// CSV validator into PostgreSQL COPY as it arrives, inside one transaction. Any bad line (or
// bad byte) cancels the COPY and rolls the transaction back before the client is answered,
// so a refused file writes nothing; memory holds about one network chunk and one COPY piece.
import type pg from 'pg';
import type { Db } from '../db';
import { AppError, type ProblemDetail } from '../errors';
import type { TextStream } from '../http/text-stream';
import { CopyIn, copyText } from './copy-in';
import { CsvValidator } from './csv';
import { copyTimeoutMs } from './export';
import type { MeasurementInput } from './schemas';

/**
 * Imports in its own transaction, or in `transaction` when the caller holds one (idempotent
 * requests). `author` (the token's subject) becomes every row's created_by and updated_by.
 */
export async function importMeasurements(db: Db, body: TextStream, author: string, transaction?: pg.PoolClient): Promise<number> {
  // Rows without recordedAt get the import's time, like the column default would.
  const now = new Date().toISOString();
  const copy = new CopyIn(transaction ? (work) => work(transaction) : (work) => db.withTransaction(work), {
    table: 'measurements',
    columns: ['station', 'kind', 'value', 'unit', 'recorded_at'],
    extraColumns: { created_by: author, updated_by: author },
    timeoutMs: copyTimeoutMs,
  });
  const validator = new CsvValidator(({ input, recordedAtText }) => copy.add(copyLine(input, recordedAtText ?? input.recordedAt?.toISOString() ?? now)));
  try {
    for (let text = await body.next(); text !== undefined; text = await body.next()) {
      validator.write(text);
      await copy.flush();
    }
  } catch (error) {
    await copy.abort();
    throw error;
  }
  const { count, errors, totalErrors } = validator.end();
  if (errors.length) {
    await copy.abort();
    throw csvRejected(errors, totalErrors);
  }
  await copy.finish();
  return count;
}

function csvRejected(errors: readonly ProblemDetail[], total: number): AppError {
  const lines = new Set(errors.map((error) => error.line)).size;
  const shown = errors.length < total ? ` The first ${errors.length} of ${total} errors are listed.` : '';
  return new AppError(422, 'invalid_csv', `The file has ${total} error(s)${errors.length < total ? '' : ` on ${lines} line(s)`}; nothing was imported.${shown}`, errors, {
    extensions: { totalErrors: total },
  });
}

/** One row in COPY text format, without the line break. */
function copyLine(input: MeasurementInput, recordedAt: string): string {
  return `${copyText(input.station)}\t${copyText(input.kind)}\t${input.value}\t${copyText(input.unit ?? null)}\t${recordedAt}`;
}
