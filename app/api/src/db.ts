// The only module that talks to pg (with query-deadline.ts, the pool's Client class): a pool
// with bounded waits, `query` and `withTransaction`, and translation of "database is not
// there" into a 503 AppError.
import pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config';
import { AppError } from './errors';
import { clientWithQueryDeadline } from './query-deadline';

// int8 (ids, counts) stays a string: the API returns ids as decimal strings.
// float8 and timestamptz use pg's default parsers (number, Date).

export interface Query {
  /** Prepared-statement name: the same name must always carry the same text. */
  readonly name?: string;
  readonly text: string;
  readonly values?: readonly unknown[];
}

export interface DbOptions {
  readonly url: string;
  readonly poolMax: number;
  readonly connectTimeoutMs: number;
  readonly statementTimeoutMs: number;
  readonly logger: Logger;
}

/** The pool settings from the parsed configuration, so the server and the tests wire it alike. */
export function dbOptionsFromConfig(
  config: Pick<Config, 'databaseUrl' | 'pgPoolMax' | 'pgConnectTimeoutMs' | 'pgStatementTimeoutMs'>,
  logger: Logger,
): DbOptions {
  return {
    url: config.databaseUrl,
    poolMax: config.pgPoolMax,
    connectTimeoutMs: config.pgConnectTimeoutMs,
    statementTimeoutMs: config.pgStatementTimeoutMs,
    logger,
  };
}

export interface Db {
  readonly pool: pg.Pool;
  query<R extends pg.QueryResultRow>(query: Query): Promise<pg.QueryResult<R>>;
  withTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /** A dedicated client (for COPY streams); the caller must release it. */
  connect(): Promise<pg.PoolClient>;
  close(): Promise<void>;
}

export function createDb(options: DbOptions): Db {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolMax,
    // A request never waits longer than this for a connection: a dead database means a
    // fast 503, not a hung request.
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    statement_timeout: options.statementTimeoutMs,
    // Client-side guard for a server that stops answering mid-query (network partition):
    // our own timer, not pg's query_timeout option, which makes V8 promote every result to
    // the old generation (src/query-deadline.ts).
    Client: clientWithQueryDeadline(options.statementTimeoutMs + 1000),
    application_name: 'ecodata-api',
  });
  // Idle clients whose server went away emit here; the pool drops them and reconnects later.
  pool.on('error', (error) => options.logger.warn({ err: error }, 'idle database connection failed'));

  return {
    pool,
    query<R extends pg.QueryResultRow>(query: Query) {
      return pool.query<R>(query as pg.QueryConfig).catch(rethrowTranslated);
    },
    async withTransaction(work) {
      const client = await this.connect();
      let broken: unknown;
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => (broken = rollbackError));
        throw translate(error);
      } finally {
        // A client whose ROLLBACK failed is in an unknown state: destroy it.
        client.release(broken as Error | undefined);
      }
    },
    async connect() {
      try {
        return await pool.connect();
      } catch (error) {
        throw translate(error);
      }
    },
    close: () => pool.end(),
  };
}

const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

/** True for errors that mean "the database cannot serve us now" rather than a bug. */
export function isUnavailable(error: unknown): boolean {
  // Duck-typed: errors from node internals are not `instanceof Error` in every realm (jest).
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof message !== 'string') return false;
  if (typeof code === 'string' && unavailableCodes.has(code)) return true;
  // SQLSTATE class 08 connection exception, 53 insufficient resources, 57 operator
  // intervention (shutdown, cannot_connect_now, statement timeout 57014).
  if (typeof code === 'string' && /^(08|53|57)/.test(code)) return true;
  return /timeout exceeded when trying to connect|Connection terminated|Query read timeout|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(
    message,
  );
}

const rethrowTranslated = (error: unknown): never => {
  throw translate(error);
};

export function translate(error: unknown): unknown {
  if (error instanceof AppError || !isUnavailable(error)) return error;
  return new AppError(503, 'database_unavailable', 'The database is not reachable right now; retry later.', undefined, {
    cause: error,
    headers: { 'Retry-After': '1' },
  });
}
