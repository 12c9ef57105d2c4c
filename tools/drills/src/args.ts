import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Strict argument parsing with node's own parser (unknown flags, missing values and stray
 * positionals are errors); its messages become usage errors. `--help`/`-h` is always known.
 */
export function parseDrillArgs<T extends Options>(argv: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? String(error));
  }
}

/** An http(s) base URL without a trailing slash; `flag` names the option in the message. */
export function baseUrl(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UsageError(`${flag} is required (e.g. ${flag} http://127.0.0.1:8080)`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be an http(s) URL, got "${value}"`);
  if (url.search || url.hash) throw new UsageError(`${flag} must not have a query or fragment, got "${value}"`);
  return url.toString().replace(/\/+$/, '');
}

/** A whole number in [min, max]. */
export function integer(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, got "${value}"`);
  const parsed = Number(value);
  if (parsed < min || parsed > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${parsed}`);
  return parsed;
}

/** A number in [min, max] (decimals allowed). */
export function decimal(value: string | undefined, flag: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+(\.\d+)?$/.test(value)) throw new UsageError(`${flag} must be a number, got "${value}"`);
  const parsed = Number(value);
  if (parsed < min || parsed > max) throw new UsageError(`${flag} must be between ${min} and ${max}, got ${parsed}`);
  return parsed;
}

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** A duration such as `500ms`, `10s`, `2m` or a bare number of seconds; returns milliseconds. */
export function duration(value: string | undefined, flag: string, fallbackMs: number, minMs: number, maxMs: number): number {
  if (value === undefined) return fallbackMs;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value);
  if (!match) throw new UsageError(`${flag} must be a duration like 500ms, 10s or 2m, got "${value}"`);
  const ms = Math.round(Number(match[1]) * (UNITS_MS[match[2] ?? 's'] ?? 1000));
  if (ms < minMs || ms > maxMs) throw new UsageError(`${flag} must be between ${formatMs(minMs)} and ${formatMs(maxMs)}, got ${formatMs(ms)}`);
  return ms;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;
  return `${(ms / 60_000).toFixed(ms % 60_000 === 0 ? 0 : 1)}m`;
}
