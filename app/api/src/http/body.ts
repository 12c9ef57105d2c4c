// Request bodies: media type check, size limit (413 before reading a too-long
// Content-Length, or as soon as the stream passes the limit) and JSON parsing.
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { AppError } from '../errors';
import { decodeUtf8, InvalidUtf8Error } from './utf8';

export interface ReadTextOptions {
  /** Status for a body that is not UTF-8 (CSV imports report 422 like their other line errors). @default 400 */
  readonly invalidEncodingStatus?: number;
}

export async function readText(ctx: Context, mediaType: string, limit: number, options: ReadTextOptions = {}): Promise<string> {
  checkTextBody(ctx, mediaType, limit);
  let bytes: Buffer;
  try {
    bytes = await getRawBody(ctx.req, { limit, length: ctx.request.length });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') throw tooLarge(limit);
    if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') throw incomplete(error);
    throw error;
  }
  try {
    return decodeUtf8(bytes);
  } catch (error) {
    throw notUtf8(error, options);
  }
}

/** What can be refused before reading: media type, charset, a Content-Length over the limit. */
export function checkTextBody(ctx: Context, mediaType: string, limit: number): void {
  if (!isPlainType(ctx.req.headers['content-type'], mediaType)) checkMediaType(ctx, mediaType);
  else if (!hasBody(ctx.req)) throw bodyRequired(mediaType);
  const length = ctx.request.length;
  if (length !== undefined && length > limit) throw tooLarge(limit);
}

/**
 * The Content-Type nearly every client sends (`application/json`, or with `; charset=utf-8`),
 * spelled exactly so: type-is and content-type would parse it into the same answer, the type
 * matched with a utf-8 or no charset, so the parsing is skipped (body.test.ts
 * compares both ways on generated headers).
 */
export function isPlainType(header: string | undefined, mediaType: string): boolean {
  return header === mediaType || (header !== undefined && header.length === mediaType.length + 15 && header.startsWith(mediaType) && header.endsWith('; charset=utf-8'));
}

/** type-is's and content-type's answer for any Content-Type header: what the body may be. */
export function checkMediaType(ctx: Context, mediaType: string): void {
  const match = ctx.request.is(mediaType);
  if (match === null) throw bodyRequired(mediaType);
  if (match === false) {
    throw new AppError(415, 'unsupported_media_type', `Content-Type must be ${mediaType}.`);
  }
  const charset = ctx.request.charset;
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new AppError(415, 'unsupported_media_type', 'Only the utf-8 charset is supported.');
  }
}

/** type-is's hasBody(): a request has a body when it is chunked or states a length. */
function hasBody(req: Context['req']): boolean {
  return req.headers['transfer-encoding'] !== undefined || !Number.isNaN(Number(req.headers['content-length']));
}

const bodyRequired = (mediaType: string) => new AppError(400, 'validation_failed', `A ${mediaType} request body is required.`);

export const tooLarge = (limit: number) => new AppError(413, 'payload_too_large', `The body exceeds the limit of ${limit} bytes.`);

export const incomplete = (cause: unknown) => new AppError(400, 'validation_failed', 'The request body was incomplete.', undefined, { cause });

/** The AppError for an InvalidUtf8Error; other errors are returned as they are. */
export function notUtf8(error: unknown, options: ReadTextOptions): unknown {
  if (!(error instanceof InvalidUtf8Error)) return error;
  return new AppError(options.invalidEncodingStatus ?? 400, 'invalid_encoding', `The body ${error.message}; send it encoded as UTF-8.`, [
    { line: error.line, message: error.message },
  ]);
}

export async function readJson(ctx: Context, limit: number): Promise<unknown> {
  return parseJson(await readText(ctx, 'application/json', limit));
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}
