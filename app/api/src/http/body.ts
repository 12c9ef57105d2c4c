// Request bodies: media type check, size limit (413 before reading a too-long
// Content-Length, or as soon as the stream passes the limit) and JSON parsing.
import type { Context } from 'koa';
import getRawBody from 'raw-body';
import { AppError } from '../errors';

export async function readText(ctx: Context, mediaType: string, limit: number): Promise<string> {
  const match = ctx.request.is(mediaType);
  if (match === null) throw new AppError(400, 'validation_failed', `A ${mediaType} request body is required.`);
  if (match === false) {
    throw new AppError(415, 'unsupported_media_type', `Content-Type must be ${mediaType}.`);
  }
  const charset = ctx.request.charset;
  if (charset && !/^utf-?8$/i.test(charset)) {
    throw new AppError(415, 'unsupported_media_type', 'Only the utf-8 charset is supported.');
  }
  try {
    return await getRawBody(ctx.req, { limit, length: ctx.request.length, encoding: 'utf8' });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') {
      throw new AppError(413, 'payload_too_large', `The body exceeds the limit of ${limit} bytes.`);
    }
    if (type === 'request.aborted' || type === 'request.size.invalid' || type === 'stream.encoding.set') {
      throw new AppError(400, 'validation_failed', 'The request body was incomplete.', undefined, { cause: error });
    }
    throw error;
  }
}

export async function readJson(ctx: Context, limit: number): Promise<unknown> {
  const text = await readText(ctx, 'application/json', limit);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AppError(400, 'invalid_json', `The body is not valid JSON: ${(error as Error).message}`);
  }
}
