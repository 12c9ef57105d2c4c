// The Idempotency-Key request header: a Structured Field sf-string (RFC 8941 section 3.3.3),
// e.g. Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324".
import { AppError } from '../errors';

export const idempotencyKeyMaxLength = 255;

// DQUOTE *( unescaped / "\" ( DQUOTE / "\" ) ) DQUOTE, unescaped = %x20-21 / %x23-5B / %x5D-7E
const sfString = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/;

/** The key's text, or undefined when the header is absent; 400 when it is not an sf-string. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = sfString.exec(header.trim());
  const key = match?.[1].replace(/\\(["\\])/g, '$1');
  if (key === undefined || key.length < 1 || key.length > idempotencyKeyMaxLength) {
    throw new AppError(400, 'validation_failed', 'Idempotency-Key must be a quoted string of 1 to 255 printable ASCII characters, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324".', [
      { field: 'Idempotency-Key', message: `must be a quoted string of 1 to ${idempotencyKeyMaxLength} printable ASCII characters` },
    ]);
  }
  return key;
}
