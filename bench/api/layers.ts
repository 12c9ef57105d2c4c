// Which layer of the API a profile row (a package, one of the API's files, or the runtime)
// belongs to, for the by-layer table of `npm run bench:api:profile`. Packages are listed by
// who pulls them in: Koa's own dependencies are Koa's cost on every request.
export interface Layer {
  readonly name: string;
  /** Profile rows (profile.ts groups: package names, `app/api/src/...` paths) of this layer. */
  readonly matches: (group: string) => boolean;
}

const packages = (...names: string[]) => (group: string) => names.includes(group);
const files = (...prefixes: string[]) => (group: string) => prefixes.some((prefix) => group.startsWith(prefix));

export const layers: readonly Layer[] = [
  { name: 'Koa (koa and the packages it runs per request)', matches: packages('koa', 'delegates', 'koa-compose', 'on-finished', 'ee-first', 'statuses', 'http-errors', 'http-assert', 'vary', 'encodeurl', 'escape-html', 'destroy', 'only', 'cookies', 'accepts', 'negotiator', 'content-disposition', 'fresh', 'koa-is-json', 'depd', 'debug') },
  { name: '@koa/router', matches: packages('@koa/router', 'path-to-regexp') },
  { name: 'token check (auth/*: header, cache, roles; jose)', matches: (group) => group.startsWith('app/api/src/auth/') || group === 'jose' },
  { name: 'request body (http/body.ts, raw-body, type-is, content-type)', matches: (group) => group === 'app/api/src/http/body.ts' || group === 'app/api/src/http/utf8.ts' || packages('raw-body', 'type-is', 'content-type', 'media-typer', 'mime-types', 'mime-db', 'bytes', 'iconv-lite', 'unpipe')(group) },
  { name: 'validation (zod, measurements/schemas.ts)', matches: (group) => group === 'zod' || group === 'app/api/src/measurements/schemas.ts' },
  { name: 'metrics, request id, log line (http/observe.ts, request-id.ts, prom-client, pino)', matches: (group) => files('app/api/src/http/observe.ts', 'app/api/src/http/request-id.ts')(group) || packages('prom-client', 'pino', 'sonic-boom', 'safe-stable-stringify', '@pinojs/redact', 'quick-format-unescaped', 'atomic-sleep', 'fast-redact', 'thread-stream', 'tdigest', 'bintrees')(group) },
  { name: 'handlers (measurements/*, idempotency/*, http/json-response.ts, errors.ts)', matches: files('app/api/src/measurements/', 'app/api/src/idempotency/', 'app/api/src/http/', 'app/api/src/errors.ts', 'app/api/src/app.ts', 'app/api/src/server.ts') },
  { name: 'database client (pg, query-deadline.ts, db.ts)', matches: (group) => group.startsWith('pg') || group.startsWith('postgres-') || files('app/api/src/query-deadline.ts', 'app/api/src/db.ts')(group) },
  { name: "the bare server's and the floor's own code (bench/api/*)", matches: files('bench/api/') },
  { name: 'node: HTTP, streams, events, timers (node:*)', matches: files('node:') },
  { name: 'socket writes and reads ((native) writev, read)', matches: packages('(native) writev', '(native) writeBuffer', '(native) writeUtf8String', '(native) readStop', '(native) readStart') },
  { name: 'garbage collector', matches: packages('(garbage collector)') },
  { name: 'V8 and other native code ((program), (native) ...)', matches: (group) => group.startsWith('(') },
  { name: 'anything else', matches: () => true },
];

export function layerOf(group: string): string {
  // The last layer matches everything, so find() always returns one.
  return (layers.find((layer) => layer.matches(group)) ?? layers[layers.length - 1]).name;
}
