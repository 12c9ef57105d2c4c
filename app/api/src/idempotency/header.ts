// The Idempotency-Key request header: a Structured Field sf-string (RFC 8941 section 3.3.3),
// e.g. Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324".
import { AppError } from '../errors';

export const idempotencyKeyMaxLength = 255;

// DQUOTE 1*255unescaped DQUOTE, unescaped = %x20-21 / %x23-5B / %x5D-7E: an sf-string without
// escapes (a key needs no quote or backslash; refusing them keeps one spelling per key).
// The parser and /openapi.json share this text.
export const idempotencyKeyPattern = `^"([\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]{1,${idempotencyKeyMaxLength}})"$`;
const sfString = new RegExp(idempotencyKeyPattern);

/** The key's text, or undefined when the header is absent; 400 when it is not an sf-string. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  // Node has already removed the optional white space around the field value.
  const key = sfString.exec(header)?.[1];
  if (key === undefined) {
    throw new AppError(400, 'validation_failed', 'Idempotency-Key must be a quoted string of 1 to 255 printable ASCII characters, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324".', [
      { field: 'Idempotency-Key', message: `must be a quoted string of 1 to ${idempotencyKeyMaxLength} printable ASCII characters` },
    ]);
  }
  return key;
}
