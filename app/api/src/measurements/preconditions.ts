// Conditional requests (RFC 9110 section 13) for optimistic concurrency: the ETag of a
// measurement is the strong entity-tag "<version>".
import { AppError } from '../errors';

const maxVersion = 2147483647;

/** ETag header value for a version. */
export const etag = (version: number) => `"${version}"`;

export interface EntityTag {
  readonly weak: boolean;
  /** The opaque-tag without its quotes. */
  readonly opaque: string;
}

/** `*`, or the entity-tags of a list (RFC 9110 section 13.1.1 and 13.1.2). */
export type TagCondition = { readonly any: true } | { readonly any: false; readonly tags: readonly EntityTag[] };

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE ; etagc = %x21 / %x23-7E / obs-text
const entityTag = '(?:W/)?"[\\x21\\x23-\\x7E\\x80-\\xFF]*"';
/**
 * `"*" / #entity-tag` with the #rule's empty elements and OWS (RFC 9110 5.6.1), as one
 * pattern: the parser and /openapi.json use this same text.
 */
export const tagConditionPattern = `^[ \\t]*(?:\\*|(?:,[ \\t]*)*${entityTag}(?:[ \\t]*,(?:[ \\t]*${entityTag})?)*)[ \\t]*$`;
const wholeHeader = new RegExp(tagConditionPattern);
const eachTag = /(W\/)?"([^"]*)"/g;

/**
 * Parses `If-Match` or `If-None-Match`: `*` or a list of entity-tags. Anything else, such as
 * a bare version `3`, is not a valid field value: 400 naming the header.
 */
export function parseTagCondition(header: string | undefined, name: 'If-Match' | 'If-None-Match'): TagCondition | undefined {
  if (header === undefined) return undefined;
  if (!wholeHeader.test(header)) throw malformed(name);
  if (header.trim() === '*') return { any: true };
  return { any: false, tags: [...header.matchAll(eachTag)].map((match) => ({ weak: match[1] !== undefined, opaque: match[2] })) };
}

function malformed(name: string): AppError {
  return new AppError(400, 'validation_failed', `${name} must be * or a list of entity-tags such as "3" (with the quotes).`, [
    { field: name, message: 'must be * or entity-tags such as "3", the ETag from GET, quotes included' },
  ]);
}

/** The version an opaque-tag names (none, or one), if it is one this API could have issued. */
function versionsOf(opaque: string): number[] {
  if (!/^[1-9][0-9]{0,9}$/.test(opaque)) return [];
  const version = Number(opaque);
  return version <= maxVersion ? [version] : [];
}

/**
 * What a write may overwrite: `null` for any version (`If-Match: *`), otherwise the versions
 * the strong comparison can match. A weak tag never matches (section 13.1.1), nor does a tag
 * this API never issues; an empty list makes the write fail with 412 on an existing row.
 */
export function ifMatchVersions(condition: TagCondition): number[] | null {
  if (condition.any) return null;
  return condition.tags.flatMap((tag) => (tag.weak ? [] : versionsOf(tag.opaque)));
}

/** Versions `If-None-Match` excludes (weak comparison, section 13.1.2); `*` excludes every one. */
export function ifNoneMatchVersions(condition: TagCondition): number[] | 'all' {
  if (condition.any) return 'all';
  return condition.tags.flatMap((tag) => versionsOf(tag.opaque));
}

/** True when an `If-None-Match` condition holds for the current version (GET: false -> 304). */
export function noneMatch(condition: TagCondition, version: number): boolean {
  const excluded = ifNoneMatchVersions(condition);
  return excluded !== 'all' && !excluded.includes(version);
}

export function versionConflict(current: number): AppError {
  return new AppError(412, 'version_conflict', `The measurement has changed; its current version is ${current}. Fetch it again and retry.`, undefined, {
    headers: { ETag: etag(current) },
  });
}

export function preconditionRequired(method: string): AppError {
  return new AppError(428, 'precondition_required', `Send If-Match with the ETag from GET so a ${method} cannot overwrite changes you have not seen.`);
}
