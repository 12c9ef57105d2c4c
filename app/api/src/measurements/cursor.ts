// Keyset cursor: the (recordedAt, id) of the last item of a page plus the order it was
// read in, as base64url JSON. Opaque to clients; anything that does not decode -> 400.
import { AppError } from '../errors';

export interface Cursor {
  readonly recordedAt: Date;
  readonly id: string;
  readonly order: 'asc' | 'desc';
}

/**
 * The cursor after the row `id` recorded at `recordedAt`, as the API returns it (toISOString's
 * text, repository.ts): the text goes in as it is, with no Date made and formatted again.
 */
export function encodeCursor(order: Cursor['order'], recordedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([order, recordedAt, id])).toString('base64url');
}

export function decodeCursor(text: string, order: 'asc' | 'desc'): Cursor {
  const invalid = (why: string) => new AppError(400, 'invalid_cursor', `The cursor is not valid: ${why}.`, [{ field: 'cursor', message: why }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid('it was not produced by this API');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid('it was not produced by this API');
  const [cursorOrder, recordedAt, id] = parsed as unknown[];
  if (cursorOrder !== 'asc' && cursorOrder !== 'desc') throw invalid('it was not produced by this API');
  if (cursorOrder !== order) throw invalid(`it belongs to a listing in ${cursorOrder} order`);
  if (typeof id !== 'string' || !/^[1-9][0-9]{0,18}$/.test(id) || BigInt(id) > 9223372036854775807n) throw invalid('it was not produced by this API');
  if (typeof recordedAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(recordedAt)) {
    throw invalid('it was not produced by this API');
  }
  const date = new Date(recordedAt);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== recordedAt) throw invalid('it was not produced by this API');
  return { order, recordedAt: date, id };
}
