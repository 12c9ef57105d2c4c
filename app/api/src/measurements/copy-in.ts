// Rows streamed into `COPY ... FROM STDIN` (text format) while they are still being read: the
// transaction starts with the first row, rows are handed to the connection in ~64 KiB pieces
// with backpressure, and nothing is kept once sent. A failure of the database is kept and
// reported by finish(), so the caller can read the rest of the request first (a bad file is
// reported before an outage, as when the whole body was read up front).
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Runs `work` inside a transaction: Db.withTransaction, or the caller's open one. */
export type InTransaction = <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

export interface CopyInProps {
  readonly table: string;
  /** The columns each line of text handed to add() holds, in order. */
  readonly columns: readonly string[];
  /**
   * Columns with one value for every row, written after `columns` (e.g. who imported the
   * file); null is SQL NULL. @default {}
   */
  readonly extraColumns?: Readonly<Record<string, string | null>>;
  /** statement_timeout and client-side deadline of the COPY. */
  readonly timeoutMs: number;
  /** Characters of COPY text handed to the connection at a time. @default 65536 */
  readonly chunkChars?: number;
}

/** One value in COPY text format. */
export function copyText(value: string | null): string {
  if (value === null) return '\\N';
  // Most text needs no escape: a test is cheaper than replace() with a callback.
  return needsEscape.test(value) ? value.replace(special, (char) => replacements[char]) : value;
}
const needsEscape = /[\\\t\n\r]/;
const special = /[\\\t\n\r]/g;
const replacements: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export class CopyIn {
  private readonly sql: string;
  /** The extra columns' text, the same at the end of every line. */
  private readonly suffix: string;
  private readonly chunkChars: number;
  private buffered = '';
  private readonly queue: string[] = [];
  private copy: Promise<Writable> | undefined;
  private transaction: Promise<void> | undefined;
  private failed = false;

  constructor(
    private readonly inTransaction: InTransaction,
    private readonly props: CopyInProps,
  ) {
    const extra = Object.entries(props.extraColumns ?? {});
    this.sql = `COPY ${props.table} (${[...props.columns, ...extra.map(([name]) => name)].join(', ')}) FROM STDIN`;
    this.suffix = extra.map(([, value]) => `\t${copyText(value)}`).join('');
    this.chunkChars = props.chunkChars ?? 65_536;
  }

  /** Adds one row: `columns` as COPY text joined by tabs, without the line break. */
  add(line: string): void {
    this.transaction ??= this.start();
    this.buffered += `${line}${this.suffix}\n`;
    // ~64 KiB strings: few enough writes, and V8 keeps each as one flat string.
    if (this.buffered.length > this.chunkChars) {
      this.queue.push(this.buffered);
      this.buffered = '';
    }
  }

  /** Hands the full pieces to the connection; resolves when it can take more. Never throws. */
  async flush(): Promise<void> {
    if (!this.queue.length) return;
    const copy = await this.ready();
    while (this.queue.length) {
      const piece = this.queue.shift()!;
      if (!copy || copy.destroyed) continue;
      if (!copy.write(piece)) await drained(copy);
    }
  }

  /** Sends the last rows, ends the COPY and its transaction; throws what went wrong with the database. */
  async finish(): Promise<void> {
    if (!this.transaction) return;
    if (this.buffered) this.queue.push(this.buffered);
    this.buffered = '';
    await this.flush();
    (await this.ready())?.end();
    await this.transaction;
  }

  /** Cancels the COPY (CopyFail) and waits until its transaction is rolled back. */
  async abort(): Promise<void> {
    if (!this.transaction) return;
    this.queue.length = 0;
    (await this.ready())?.destroy(new Error('import refused: nothing is written'));
    await this.transaction.catch(() => undefined);
  }

  private start(): Promise<void> {
    let ready!: (copy: Writable) => void;
    this.copy = new Promise((resolve) => (ready = resolve));
    const transaction = this.inTransaction(async (client) => {
      await client.query(`SET LOCAL statement_timeout = ${this.props.timeoutMs}`);
      const stream = copyFrom(this.sql);
      Object.assign(stream, { query_timeout: this.props.timeoutMs });
      const copy = client.query(stream);
      ready(copy);
      await finished(copy);
    });
    // Kept for finish(); until then later rows are dropped and the caller reads on.
    transaction.catch(() => (this.failed = true));
    return transaction;
  }

  /** The COPY stream once it is open, or undefined when its transaction failed. */
  private async ready(): Promise<Writable | undefined> {
    if (this.failed || !this.copy || !this.transaction) return undefined;
    try {
      return await Promise.race([this.copy, this.transaction.then(() => undefined)]);
    } catch {
      return undefined;
    }
  }
}

/** Resolves on 'drain', or when the stream closes (a failed COPY never drains). */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
