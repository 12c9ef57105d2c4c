// If-Match handling for optimistic concurrency: the ETag of a measurement is "<version>".
import { AppError } from '../errors';

const maxVersion = 2147483647;

/** ETag header value for a version. */
export const etag = (version: number) => `"${version}"`;

/**
 * Reads If-Match: `"3"`, `W/"3"`, a bare `3`, or `*` (any version -> null). Returns the
 * expected version, or undefined when the header is absent.
 */
export function parseIfMatch(header: string | undefined): number | null | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === '*') return null;
  const match = /^(?:W\/)?"(\d{1,12})"$|^(\d{1,12})$/.exec(trimmed);
  if (!match) {
    throw new AppError(400, 'validation_failed', 'If-Match must be the ETag of the measurement, e.g. "3".', [
      { field: 'If-Match', message: 'must be an ETag such as "3", W/"3" or a bare version 3' },
    ]);
  }
  const version = Number(match[1] ?? match[2]);
  // A version the column cannot hold never matches (0 is never stored): stale, not a fault.
  return version > maxVersion ? 0 : version;
}

export function versionConflict(current: number): AppError {
  return new AppError(412, 'version_conflict', `The measurement has changed; its current version is ${current}. Fetch it again and retry.`, undefined, {
    headers: { ETag: etag(current) },
  });
}
