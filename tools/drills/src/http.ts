// A thin fetch wrapper for drills: every call has a deadline, and the response body is read
// once into text so checks can quote it in failure messages.
import { DrillFailure } from './errors';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export async function request(url: string, options: RequestOptions): Promise<HttpResponse> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      body: options.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new DrillFailure(`${options.method ?? 'GET'} ${url} failed: ${reason}`, { cause: error });
  }
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Parses a JSON body or fails naming the request. */
export function json<T = unknown>(response: HttpResponse, what: string): T {
  try {
    return JSON.parse(response.text) as T;
  } catch {
    throw new DrillFailure(`${what}: expected a JSON body, got ${quote(response.text)}`);
  }
}

/** A short, single-line excerpt of a body for messages. */
export function quote(text: string, max = 200): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length > max ? `${line.slice(0, max)}…` : line);
}

/** Fails unless the status is the expected one; the message carries the body (problem+json detail). */
export function expectStatus(response: HttpResponse, expected: number, what: string): void {
  if (response.status !== expected) {
    throw new DrillFailure(`${what}: expected HTTP ${expected}, got ${response.status} ${quote(response.text)}`);
  }
}
