import type { Context } from 'koa';

/** A parsed HTML form: text fields, and uploaded files read as UTF-8 text. */
export interface ParsedForm {
  readonly fields: ReadonlyMap<string, string>;
  readonly files: ReadonlyMap<string, { readonly name: string; readonly text: string }>;
}

/** Raised when a form body is too large or not a form; the caller answers 413 / 415. */
export class FormBodyError extends Error {
  constructor(readonly status: 413 | 415 | 422 | 400, message: string) {
    super(message);
  }
}

/**
 * Reads an application/x-www-form-urlencoded or multipart/form-data body. Multipart is parsed
 * by Node's built-in WHATWG `Response.formData()` (undici), after the raw body is read with a
 * size limit, so no extra dependency is needed and nothing is written to disk.
 */
export async function readForm(ctx: Context, limitBytes: number): Promise<ParsedForm> {
  const type = ctx.get('content-type');
  const raw = await readRaw(ctx, limitBytes);
  const fields = new Map<string, string>();
  const files = new Map<string, { name: string; text: string }>();
  if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
    for (const [key, value] of new URLSearchParams(raw.toString('utf8'))) fields.set(key, value);
  } else if (/^multipart\/form-data\b/i.test(type)) {
    let parsed: FormData;
    try {
      parsed = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
    } catch {
      throw new FormBodyError(400, 'The form upload could not be read.');
    }
    const entries: Array<[string, FormDataEntryValue]> = [];
    parsed.forEach((value, key) => entries.push([key, value]));
    for (const [key, value] of entries) {
      if (typeof value === 'string') fields.set(key, value);
      else if (value.size > 0 || value.name) files.set(key, { name: value.name, text: utf8(Buffer.from(await value.arrayBuffer()), value.name) });
    }
  } else {
    throw new FormBodyError(415, 'Forms must be sent as application/x-www-form-urlencoded or multipart/form-data.');
  }
  return { fields, files };
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** An uploaded file as text, refused (not decoded with U+FFFD in place of its bytes) when it is not UTF-8. */
function utf8(bytes: Buffer, name: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new FormBodyError(422, `The file ${name || ''} is not UTF-8 text. Save it as "CSV UTF-8" and upload it again.`.replace('  ', ' '));
  }
}

async function readRaw(ctx: Context, limitBytes: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > limitBytes) throw new FormBodyError(413, tooLarge(limitBytes));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) throw new FormBodyError(413, tooLarge(limitBytes));
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(limitBytes: number): string {
  return `The upload is larger than ${Math.round(limitBytes / 1024)} KB.`;
}
