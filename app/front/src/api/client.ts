import { ApiOutcomeUnknownError, ApiProblemError, ApiUnavailableError } from './errors';
import type {
  ApiInfo, ListQuery, Measurement, MeasurementFilter, MeasurementInput, MeasurementPage, Problem, SeriesStats,
} from './types';

/** Observes each API call (operation name, outcome, seconds); the metrics module plugs in here. */
export type ApiCallObserver = (operation: string, outcome: string, seconds: number) => void;

export interface ApiClientOptions {
  /** Base URL without trailing slash, e.g. http://api:8080. */
  readonly baseUrl: string;
  /** Where /healthz and /readyz answer (the API's management port). @default baseUrl */
  readonly managementUrl?: string;
  /** Deadline for one call: until the whole JSON body is read, or until the headers of a streamed body. */
  readonly timeoutMs: number;
  /** Deadline for a CSV import (longer than the API's bound on one). @default timeoutMs */
  readonly importTimeoutMs?: number;
  readonly observe?: ApiCallObserver;
  /** Sent as X-Request-Id so API logs line up with the front's. */
  readonly requestId?: string;
  /** The signed-in user's access token, sent as `Authorization: Bearer` (never logged). */
  readonly accessToken?: string;
}

type Query = Record<string, string | number | undefined>;

/** The API over HTTP (Node's fetch), as described in notes/CONTRACTS.md. */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  /** The same client for one incoming request: its request id, and its user's access token if any. */
  forRequest(requestId: string, accessToken?: string): ApiClient {
    return new ApiClient({ ...this.options, requestId, accessToken });
  }

  info(): Promise<ApiInfo> {
    return this.json('info', 'GET', '/');
  }

  /** True when the API answers /healthz with 2xx (the process is up); never throws. */
  async isReachable(): Promise<boolean> {
    return this.probe('healthz', '/healthz');
  }

  /** True when the API answers /readyz with 2xx (database reachable, migrations applied); never throws. */
  async isReady(): Promise<boolean> {
    return this.probe('readyz', '/readyz');
  }

  listMeasurements(query: ListQuery): Promise<MeasurementPage> {
    return this.json('list', 'GET', `/api/measurements${toQueryString({ ...query })}`);
  }

  getMeasurement(id: string): Promise<Measurement> {
    return this.json('get', 'GET', `/api/measurements/${encodeURIComponent(id)}`);
  }

  /** `idempotencyKey` makes a retry of the same create (same key, same input) save it once. */
  createMeasurement(input: MeasurementInput, idempotencyKey: string): Promise<Measurement> {
    return this.json('create', 'POST', '/api/measurements', { body: input, headers: { 'idempotency-key': sfString(idempotencyKey) } });
  }

  updateMeasurement(id: string, version: number, input: MeasurementInput): Promise<Measurement> {
    return this.json('update', 'PUT', `/api/measurements/${encodeURIComponent(id)}`, {
      body: input,
      headers: { 'if-match': `"${version}"` },
    });
  }

  async deleteMeasurement(id: string, version: number): Promise<void> {
    await this.call('delete', 'DELETE', `/api/measurements/${encodeURIComponent(id)}`, {
      headers: { 'if-match': `"${version}"` },
    });
  }

  importCsv(csv: string, idempotencyKey: string): Promise<{ imported: number }> {
    return this.json('import', 'POST', '/api/measurements/import', {
      rawBody: csv,
      headers: { 'content-type': 'text/csv; charset=utf-8', 'idempotency-key': sfString(idempotencyKey) },
      timeoutMs: this.options.importTimeoutMs,
    });
  }

  /** The CSV export as a stream; the caller pipes `body` to the browser. */
  async exportCsv(filter: MeasurementFilter): Promise<ReadableStream<Uint8Array>> {
    const response = await this.call('export', 'GET', `/api/measurements/export${toQueryString({ ...filter })}`, {
      stream: true,
    });
    if (!response.body) throw new ApiUnavailableError('The API sent an export without a body');
    return response.body;
  }

  async stats(filter: { station?: string; kind?: string } = {}): Promise<readonly SeriesStats[]> {
    const result = await this.json<{ items: SeriesStats[] }>('stats', 'GET', `/api/stats${toQueryString(filter)}`);
    return result.items;
  }

  private async probe(operation: string, path: string): Promise<boolean> {
    try {
      await this.call(operation, 'GET', path, { baseUrl: this.options.managementUrl });
      return true;
    } catch {
      return false;
    }
  }

  private async json<T>(operation: string, method: string, path: string, init: CallInit = {}): Promise<T> {
    const response = await this.call(operation, method, path, init);
    return (await response.json()) as T;
  }

  private async call(operation: string, method: string, path: string, init: CallInit = {}): Promise<Response> {
    const started = performance.now();
    const controller = new AbortController();
    const timeoutMs = init.timeoutMs ?? this.options.timeoutMs;
    // A write that was sent and not answered may have been applied: say so, never "not saved".
    const write = method !== 'GET' && method !== 'HEAD';
    const noAnswer = (message: string, cause?: unknown) =>
      write ? new ApiOutcomeUnknownError(message, { cause }) : new ApiUnavailableError(message, { cause });
    const timer = setTimeout(() => controller.abort(noAnswer(`The API did not answer within ${timeoutMs} ms`)), timeoutMs);
    let outcome = 'unavailable';
    try {
      const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...init.headers };
      if (this.options.requestId) headers['x-request-id'] = this.options.requestId;
      if (this.options.accessToken) headers.authorization = `Bearer ${this.options.accessToken}`;
      let body: string | undefined = init.rawBody;
      if (init.body !== undefined) {
        body = JSON.stringify(init.body);
        headers['content-type'] = 'application/json';
      }
      let response: Response;
      try {
        response = await fetch(`${init.baseUrl ?? this.options.baseUrl}${path}`, { method, headers, body, signal: controller.signal });
      } catch (error) {
        if (error instanceof ApiUnavailableError || error instanceof ApiOutcomeUnknownError) throw error;
        // Refused (or not resolvable) means the request never left: nothing happened.
        if (!write || neverSent(error)) throw new ApiUnavailableError(`The API at ${this.options.baseUrl} is unreachable`, { cause: error });
        throw noAnswer(`The connection to the API at ${this.options.baseUrl} failed before it answered`, error);
      }
      outcome = String(response.status);
      // A gateway between us and the API gave up (502) or timed out (504) on the write.
      if (write && (response.status === 502 || response.status === 504)) {
        throw noAnswer(`A gateway answered ${response.status} before the API did`);
      }
      if (!response.ok) throw await toError(response);
      if (init.stream) {
        clearTimeout(timer);
        return response;
      }
      // Read the body while the deadline still applies, then hand back a buffered copy.
      const buffered = await response.arrayBuffer();
      // 204 and friends must not carry a body, not even an empty one.
      const kept = [204, 205, 304].includes(response.status) ? null : buffered;
      return new Response(kept, { status: response.status, headers: response.headers });
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') {
        throw noAnswer(`The API did not answer within ${timeoutMs} ms`, error);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      this.options.observe?.(operation, outcome, (performance.now() - started) / 1000);
    }
  }
}

interface CallInit {
  /** Overrides the client's base URL (the management port's probes). */
  readonly baseUrl?: string;
  /** Overrides the client's deadline for this call. */
  readonly timeoutMs?: number;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
  readonly stream?: boolean;
}

/** An Idempotency-Key is a Structured Field string (RFC 8941): quoted, with \ and " escaped. */
function sfString(text: string): string {
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** True when fetch failed before sending anything (connection refused, unknown host). */
function neverSent(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN';
}

/** Leaves out undefined values only: an empty string is a value (unit= selects "no unit"). */
function toQueryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function toError(response: Response): Promise<Error> {
  let problem: Problem = { status: response.status, title: response.statusText };
  try {
    const text = await response.text();
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') problem = { ...(parsed as Problem), status: response.status };
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): keep the status line.
  }
  if (response.status === 502 || response.status === 503 || response.status === 504) {
    return new ApiUnavailableError(`The API answered ${response.status}: ${problem.detail ?? problem.title ?? ''}`);
  }
  return new ApiProblemError(problem);
}
