// A thin fetch wrapper for drills: every call has a deadline, and the response body is read
// once into text so checks can quote it in failure messages.
import type { Io } from './drill';
import { DrillFailure } from './errors';

/**
 * `Authorization: Bearer $API_TOKEN` when API_TOKEN is set (an access token for the API, from
 * the environment: never an argument, which `ps` would show), otherwise nothing.
 */
export function bearer(io: Io): Record<string, string> {
  const token = (io.env ?? process.env).API_TOKEN;
  return token ? { Authorization: `Bearer ${token}` } : {};
}

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

/**
 * fetch with a deadline covering the whole exchange (body included). The timer is cleared as
 * soon as the exchange ends: AbortSignal.timeout() would leave it pending and keep a test
 * runner waiting.
 */
export async function fetchWithDeadline(url: string, init: RequestInit, timeoutMs: number): Promise<{ response: Response; text: string }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    return { response, text: await response.text() };
  } finally {
    clearTimeout(timer);
  }
}

/** A short name for a failed fetch: TimeoutError, ECONNREFUSED, ... */
export function fetchErrorReason(error: unknown): string {
  if ((error as Error).name === 'TimeoutError') return 'timeout';
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export async function request(url: string, options: RequestOptions): Promise<HttpResponse> {
  try {
    const init: RequestInit = { method: options.method ?? 'GET', headers: options.headers, body: options.body, redirect: 'manual' };
    const { response, text } = await fetchWithDeadline(url, init, options.timeoutMs);
    return { status: response.status, headers: response.headers, text };
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : fetchErrorReason(error);
    throw new DrillFailure(`${options.method ?? 'GET'} ${url} failed: ${reason}`, { cause: error });
  }
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
