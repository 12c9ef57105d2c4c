// Headers of the hot JSON responses set straight on node's response. Koa's ctx.set() builds
// an entry array and normalises each header, and `ctx.body = object` without a Content-Type
// looks the type up by extension (getType('json')) on every response; the API always sends the
// same JSON type, so both are skipped. What is sent is byte for byte the same
// (test/response-headers.test.ts).
import type { Context } from 'koa';

/** What Koa's `ctx.type = 'json'` sets. */
export const jsonType = 'application/json; charset=utf-8';

/** Sets a header whose value is a plain string, like ctx.set(name, value). */
export function setHeader(ctx: Context, name: string, value: string): void {
  ctx.res.setHeader(name, value);
}

/** `ctx.body = body` as JSON, Content-Type set first so Koa does not infer it. */
export function sendJson(ctx: Context, body: object): void {
  ctx.res.setHeader('Content-Type', jsonType);
  ctx.body = body;
}
