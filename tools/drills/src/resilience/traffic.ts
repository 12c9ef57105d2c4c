// Steady traffic for the resilience drill: paced loops of writes (POST to the API) and reads
// (GET from the API, and pages from the front), recording every outcome with its time. The
// client never retries: a request counts as failed unless it got a 2xx.
import { fetchErrorReason, fetchWithDeadline } from '../http';

export type TrafficKind = 'write' | 'read' | 'front';

export interface Outcome {
  readonly kind: TrafficKind;
  /** Milliseconds since the traffic started, when the request was sent. */
  readonly at: number;
  /** Milliseconds since the traffic started, when the answer (or the error) came. */
  readonly done: number;
  readonly ok: boolean;
  /** HTTP status, or the client-side error (timeout, refused). */
  readonly result: string;
}

export interface AckedWrite {
  readonly id: string;
  readonly value: number;
}

export interface TrafficOptions {
  readonly apiUrl: string;
  readonly frontUrl: string | undefined;
  readonly station: string;
  readonly writeRps: number;
  readonly readRps: number;
  readonly frontRps: number;
  readonly timeoutMs: number;
  /** Concurrent loops per kind; each paces itself to its share of the rate. */
  readonly loopsPerKind?: number;
  /** Sent with every API request: the Authorization header of an editor's token. @default {} */
  readonly apiHeaders?: Readonly<Record<string, string>>;
  /** Sent with every front page request: the Cookie of a signed-in viewer. @default {} */
  readonly frontHeaders?: Readonly<Record<string, string>>;
}

export class Traffic {
  readonly outcomes: Outcome[] = [];
  readonly acked: AckedWrite[] = [];
  private readonly started = Date.now();
  private running = true;
  private sequence = 0;
  private readonly loops: Promise<void>[] = [];

  constructor(private readonly options: TrafficOptions) {
    const loops = options.loopsPerKind ?? 4;
    const spawn = (rps: number, operation: () => Promise<void>) => {
      if (rps <= 0) return;
      for (let i = 0; i < loops; i += 1) this.loops.push(this.loop((1000 * loops) / rps, operation));
    };
    spawn(options.writeRps, () => this.write());
    spawn(options.readRps, () => this.read());
    if (options.frontUrl !== undefined) spawn(options.frontRps, () => this.page());
  }

  /** Milliseconds since the traffic started. */
  now(): number {
    return Date.now() - this.started;
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop(intervalMs: number, operation: () => Promise<void>): Promise<void> {
    // Spread the loops' first requests over one interval.
    await sleep(Math.random() * intervalMs);
    while (this.running) {
      const began = Date.now();
      await operation();
      await sleep(Math.max(0, intervalMs - (Date.now() - began)));
    }
  }

  private async send(kind: TrafficKind, url: string, init: RequestInit, expected: number): Promise<string | undefined> {
    const at = this.now();
    try {
      const { response, text } = await fetchWithDeadline(url, init, this.options.timeoutMs);
      const ok = response.status === expected;
      this.outcomes.push({ kind, at, done: this.now(), ok, result: String(response.status) });
      return ok ? text : undefined;
    } catch (error) {
      this.outcomes.push({ kind, at, done: this.now(), ok: false, result: fetchErrorReason(error) });
      return undefined;
    }
  }

  private async write(): Promise<void> {
    const value = (this.sequence += 1);
    const body = JSON.stringify({ station: this.options.station, kind: 'counter', value, unit: 'n' });
    const text = await this.send('write', `${this.options.apiUrl}/api/measurements`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...this.options.apiHeaders }, body }, 201);
    if (text !== undefined) this.acked.push({ id: (JSON.parse(text) as { id: string }).id, value });
  }

  private async read(): Promise<void> {
    await this.send('read', `${this.options.apiUrl}/api/measurements?station=${encodeURIComponent(this.options.station)}&limit=20`, { headers: { ...this.options.apiHeaders } }, 200);
  }

  private async page(): Promise<void> {
    await this.send('front', `${this.options.frontUrl}/measurements?station=${encodeURIComponent(this.options.station)}`, { headers: { ...this.options.frontHeaders } }, 200);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
