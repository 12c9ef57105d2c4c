// A text request body read as it arrives (CSV imports), with readText's rules: media type,
// charset and Content-Length refused before reading, 413 as soon as the stream passes the
// limit, 400 for a body cut short, strict UTF-8 with the line of the first bad byte. Nothing
// is read until asked for, so a slow consumer (a COPY) holds the client back.
import crypto from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Context } from 'koa';
import { checkTextBody, incomplete, notUtf8, type ReadTextOptions, tooLarge } from './body';
import { AppError } from '../errors';
import { InvalidUtf8Error, Utf8ChunkDecoder } from './utf8';

export interface TextStreamOptions extends ReadTextOptions {
  /** Keep a sha256 of the text for fingerprint() (idempotency keys). @default false */
  readonly fingerprint?: boolean;
}

export class TextStream {
  private readonly source: AsyncIterator<Buffer>;
  private readonly decoder = new Utf8ChunkDecoder();
  private readonly hash: crypto.Hash | undefined;
  private readonly length: number | undefined;
  private received = 0;
  private ended = false;
  private failure: unknown;
  private digest: string | undefined;
  private readonly closed: Promise<never>;

  /** Throws at once what can be refused before reading (see checkTextBody). */
  constructor(
    ctx: Context,
    mediaType: string,
    private readonly limit: number,
    private readonly options: TextStreamOptions = {},
  ) {
    checkTextBody(ctx, mediaType, limit);
    this.length = ctx.request.length;
    // Not destroyed when reading stops early: the request must stay open for the answer.
    this.source = (ctx.req as Readable).iterator({ destroyOnReturn: false })[Symbol.asyncIterator]();
    // A client that goes away mid-body does not always fail the iterator: it would wait forever
    // (with a COPY open); the request's 'close' before its end settles it.
    this.closed = new Promise((_, reject) => {
      ctx.req.once('close', () => {
        if (!ctx.req.complete) reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      });
    });
    this.closed.catch(() => undefined);
    this.hash = options.fingerprint ? crypto.createHash('sha256') : undefined;
  }

  /** The next piece of text, or undefined at the end; throws the body's error, every time once failed. */
  async next(): Promise<string | undefined> {
    if (this.failure !== undefined) throw this.failure;
    if (this.ended) return undefined;
    try {
      let text = '';
      // A chunk may decode to nothing (a cut sequence): read on, so '' never means the end.
      while (text === '') {
        const value = await this.read();
        if (value === undefined) {
          this.decoder.end();
          this.ended = true;
          return undefined;
        }
        text = this.decoder.decode(value);
      }
      this.hash?.update(text);
      return text;
    } catch (error) {
      let failure = error;
      // readText read the whole body before decoding it: the size limit and a body cut short
      // still win over a bad byte, and the body is read to its end (keep-alive goes on).
      if (error instanceof InvalidUtf8Error) failure = await this.drain().then(() => error, (late: unknown) => late);
      // Past the limit, the rest is discarded unread (what node does with a body no handler
      // reads), so the connection can serve the client's next request.
      if (failure instanceof AppError && failure.status === 413) this.discard();
      this.failure = notUtf8(failure, this.options);
      throw this.failure;
    }
  }

  /** The next chunk of bytes, or undefined at the end; throws 413 past the limit, 400 when cut short. */
  private async read(): Promise<Buffer | undefined> {
    const pending = this.source.next();
    // When 'close' wins the race, a late rejection of the read must not go unhandled.
    pending.catch(() => undefined);
    const { done, value } = await Promise.race([pending, this.closed]).catch((error: unknown) => {
      // The client went away mid-body (raw-body's request.aborted); anything else is a bug.
      throw (error as { code?: string }).code === 'ECONNRESET' ? incomplete(error) : error;
    });
    if (done) {
      if (this.length !== undefined && this.received !== this.length) throw incomplete(undefined);
      return undefined;
    }
    this.received += value.length;
    if (this.received > this.limit) throw tooLarge(this.limit);
    return value;
  }

  /** Reads the rest in the background and drops it (resume() does nothing while the iterator listens). */
  private discard(): void {
    const next = (): unknown => this.source.next().then(({ done }) => (done ? undefined : next()), () => undefined);
    next();
  }

  private async drain(): Promise<void> {
    while ((await this.read()) !== undefined);
  }

  /** Reads (and checks) what is left, so a bad body is reported before what else went wrong. */
  async rest(): Promise<void> {
    while ((await this.next()) !== undefined);
  }

  /** sha256 (hex) of the whole text, as idempotency stores it; reads what is left first. */
  async fingerprint(): Promise<string> {
    if (!this.hash) throw new Error('TextStream was created without the fingerprint option');
    await this.rest();
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }
}
