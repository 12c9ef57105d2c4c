// Idempotent POSTs (IETF httpapi draft-ietf-httpapi-idempotency-key-header): the first request
// with a key does its write and stores its response in the same transaction; a retry with the
// same key and payload gets that response back, another payload is 422, and a retry while the
// first is still running is 409 (a transaction-scoped advisory lock marks it in flight).
import crypto from 'node:crypto';
import type pg from 'pg';
import type { Db, Query } from '../db';
import { AppError } from '../errors';

/** How long an outcome is kept: a client retries within this time or not at all. */
export const keyLifetimeHours = 24;

export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export interface IdempotentRequest {
  /** The parsed Idempotency-Key, or undefined when the client sent none. */
  readonly key: string | undefined;
  /** Method and path: the same key on another operation is another key. */
  readonly scope: string;
  /**
   * sha256 (hex) of the request body exactly as received (fingerprintOf for a body already
   * read); asked for once the key is known to be new or stored, so a streamed body can be
   * hashed while it is read.
   */
  readonly fingerprint: () => string | Promise<string>;
}

/** The fingerprint of a request body held as text. */
export const fingerprintOf = (payload: string) => crypto.createHash('sha256').update(payload).digest('hex');

/**
 * Runs `work` in a transaction (its client is passed in) and returns its response, or the
 * stored response of an earlier request with the same key. Without a key, `work` gets no
 * client and runs as it would without this module.
 */
export async function idempotent(
  db: Db,
  request: IdempotentRequest,
  work: (transaction: pg.PoolClient | undefined) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  const { key, scope } = request;
  if (key === undefined) return work(undefined);
  return db.withTransaction(async (client) => {
    const locked = await client.query<{ locked: boolean }>({
      name: 'idempotency_lock',
      text: 'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked',
      values: [lockId(scope, key)],
    });
    if (!locked.rows[0].locked) {
      throw new AppError(409, 'idempotency_key_in_flight', 'A request with this Idempotency-Key is still being processed; retry later.', undefined, {
        headers: { 'Retry-After': '1' },
      });
    }
    const stored = await client.query<{ fingerprint: string; status: number; headers: Record<string, string>; body: unknown }>({
      name: 'idempotency_find',
      text: `SELECT fingerprint, status, headers, body FROM idempotency_keys
             WHERE scope = $1 AND key = $2 AND created_at > now() - make_interval(hours => $3)`,
      values: [scope, key, keyLifetimeHours],
    });
    const previous = stored.rows[0];
    if (previous) {
      if (previous.fingerprint !== (await request.fingerprint())) {
        throw new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was already used for a request with another body; use a new key for a new request.', [
          { field: 'Idempotency-Key', message: 'was already used with another request body' },
        ]);
      }
      return { status: previous.status, headers: previous.headers, body: previous.body };
    }
    const response = await work(client);
    const fingerprint = await request.fingerprint();
    // Replaces an expired row with the same key, and clears a few other expired ones.
    await client.query({
      name: 'idempotency_expire',
      text: `DELETE FROM idempotency_keys WHERE (scope = $1 AND key = $2)
               OR ctid = ANY(ARRAY(SELECT ctid FROM idempotency_keys WHERE created_at <= now() - make_interval(hours => $3)
                                   ORDER BY created_at LIMIT 100))`,
      values: [scope, key, keyLifetimeHours],
    });
    await client.query({
      name: 'idempotency_store',
      text: 'INSERT INTO idempotency_keys (scope, key, fingerprint, status, headers, body) VALUES ($1, $2, $3, $4, $5, $6)',
      values: [scope, key, fingerprint, response.status, JSON.stringify(response.headers), JSON.stringify(response.body)],
    });
    return response;
  });
}

/** A 64-bit advisory lock id for (scope, key); a collision only makes a request wait for a retry. */
function lockId(scope: string, key: string): string {
  return crypto.createHash('sha256').update(scope).update('\0').update(key).digest().readBigInt64BE(0).toString();
}

/** `query` of a Db, run on the transaction `idempotent` handed to its work. */
export function transactionQueries(client: pg.PoolClient): Pick<Db, 'query'> {
  return { query: <R extends pg.QueryResultRow>(query: Query) => client.query<R>(query as pg.QueryConfig) };
}
