// The process's one logger: JSON lines on stdout, one base record per service. Error stacks
// are mapped to src/*.ts positions when they are logged (stack-map.ts), because the image runs
// without --enable-source-maps.
import pino, { type Logger } from 'pino';
import { mapStack } from './stack-map';

export function createLogger(level: string, base: Record<string, string>): Logger {
  return pino({ level, base, serializers: { err: serializeError } });
}

/** pino's error serializer (type, message, stack with its causes, own fields), stacks mapped. */
export function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown;
  mapStacks(serialized, 0);
  return serialized;
}

// pino serializes an AggregateError's errors into `aggregateErrors` and other error-valued
// fields as nested records; `raw` is the original error, which is never written.
function mapStacks(value: unknown, depth: number): void {
  if (depth > 8 || value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (typeof record.stack === 'string') record.stack = mapStack(record.stack);
  for (const key of Object.keys(record)) {
    if (key === 'raw') continue;
    const nested = record[key];
    if (Array.isArray(nested)) for (const each of nested) mapStacks(each, depth + 1);
    else if (nested !== null && typeof nested === 'object') mapStacks(nested, depth + 1);
  }
}
