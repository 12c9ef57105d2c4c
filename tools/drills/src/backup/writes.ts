// Steady writes with acknowledgements: one connection inserts numbered rows at a fixed rate
// and records, per row, when it was sent and when its COMMIT was acknowledged. One writer,
// so commit order is id order; the checks in verify.ts rely on that.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sleep } from './commands';

export interface Write {
  readonly id: number;
  /** performance.now() when the INSERT was sent. */
  readonly sentAt: number;
  /** performance.now() when its commit was acknowledged; undefined if it never was. */
  ackedAt?: number;
}

export const CREATE_TABLE = 'CREATE TABLE drill_writes (id integer PRIMARY KEY, payload text NOT NULL, written_at timestamptz NOT NULL DEFAULT clock_timestamp())';

export class Writer {
  readonly writes: Write[] = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private client: pg.Client | undefined;
  /** The error that stopped the writer (expected once the server is gone). */
  lastError: Error | undefined;

  constructor(
    private readonly url: string,
    private readonly ratePerSecond: number,
  ) {}

  async start(): Promise<void> {
    this.client = new pg.Client({ connectionString: this.url });
    this.client.on('error', (error) => (this.lastError = error));
    await this.client.connect();
    this.running = true;
    this.loop = this.run(this.client);
  }

  private async run(client: pg.Client): Promise<void> {
    const interval = 1000 / this.ratePerSecond;
    const started = performance.now();
    for (let id = 1; this.running; id++) {
      const due = started + (id - 1) * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (!this.running) break;
      const write: Write = { id, sentAt: performance.now() };
      this.writes.push(write);
      try {
        await client.query('INSERT INTO drill_writes (id, payload) VALUES ($1, $2)', [id, `write ${id}`]);
        write.ackedAt = performance.now();
      } catch (error) {
        this.lastError = error as Error;
        break;
      }
    }
  }

  /** Acknowledged writes so far. */
  get acknowledged(): number {
    return this.writes.filter((w) => w.ackedAt !== undefined).length;
  }

  /** Stops writing; the write in flight (if any) finishes or fails first. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await this.client?.end().catch(() => undefined);
  }
}
