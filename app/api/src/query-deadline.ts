// A client-side deadline for every query, for the case statement_timeout cannot cover: a
// server (or network) that stops answering mid-query. pg's own `query_timeout` option does
// this too, but with it set V8 promotes nearly every result to the old generation
// (bench/api/pg-query-timeout.ts measures it: ~16 KB promoted per 50-row list query instead
// of ~0.1 KB, 5-7x the scavenge time, and mark-compacts that grow RSS by ~40 MB; why is in
// app/api/README.md, Benchmark). This client keeps the deadline with its own timer instead.
import pg from 'pg';

/** Message matched by db.ts's isUnavailable(): a missed deadline is answered with a 503. */
export const deadlineMessage = 'Query read timeout';

type Callback = (error: Error | undefined, result?: pg.QueryResult) => void;

/**
 * A pg.Client class (for the Pool's `Client` option) that fails any query still unanswered
 * after `deadlineMs` and ends its connection at once, so a connection whose query may still
 * be running is never handed to anyone again. Submittables (COPY streams) and queries that
 * set their own `query_timeout` keep pg's handling.
 */
export function clientWithQueryDeadline(deadlineMs: number): typeof pg.Client {
  return class DeadlineClient extends pg.Client {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloads, passed through
    override query(config: any, values?: any, callback?: any): any {
      if (config == null || typeof config.submit === 'function' || config.query_timeout) return super.query(config, values, callback);
      if (typeof values === 'function') [callback, values] = [values, undefined];
      if (typeof callback !== 'function') {
        return new Promise((resolve, reject) => {
          this.query(config, values, (error: Error | undefined, result?: pg.QueryResult) => (error ? reject(error) : resolve(result)));
        });
      }
      const done: Callback = callback;
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        // end() destroys the socket of a client with an active query, marks it as ending (the
        // pool then discards it on release) and makes the late answer, if any, go nowhere.
        this.end(() => undefined);
        done(new Error(`${deadlineMessage}: no answer within ${deadlineMs} ms`));
      }, deadlineMs);
      super.query(config, values, (error: Error | undefined, result?: pg.QueryResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        done(error, result);
      });
      return undefined;
    }
  };
}
