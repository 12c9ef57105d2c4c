// The measurement's shapes, shared by validation (routes, CSV import) and /openapi.json.
import { z } from 'zod';
import type { ProblemDetail } from '../errors';

// C0 and C1 controls (NUL, tab, escape sequences...): invisible, and PostgreSQL cannot hold NUL.
const control = /\p{Cc}/u;
// Bidirectional overrides, embeddings, isolates and marks: "t-\u202Eevil" renders as "t-live".
const bidi = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// With the u flag a surrogate range matches only unpaired halves (paired ones are one code point).
const loneSurrogate = /[\uD800-\uDFFF]/u;
// Leading or trailing white space of any script (JavaScript's \s covers Unicode spaces).
const padded = /^\s|\s$/u;

// The same rules as one pattern for /openapi.json (and so for clients and test generators):
// no control or bidi character anywhere, and no white space at either end. Written with \u
// escapes only, so it reads the same in ECMA-262 (with or without the u flag) and Python.
const inside = '\\x00-\\x1F\\x7F-\\x9F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const edge = `${inside}\\x20\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF`;
export const plainText = new RegExp(`^[^${edge}](?:[^${inside}]*[^${edge}])?$`);

/** Limits of the text fields, shared with the front's forms (maxlength) through /openapi.json. */
export const textLimits = { station: 100, kind: 50, unit: 20 } as const;

const text = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => /\S/.test(value), 'must not be blank')
    // A lone surrogate would reach PostgreSQL as U+FFFD: refuse instead of storing it mangled.
    .refine((value) => !loneSurrogate.test(value), 'must be valid Unicode text (it contains a lone surrogate)')
    .refine((value) => !control.test(value), 'must not contain control characters (tabs, line breaks, NUL...)')
    .refine((value) => !bidi.test(value), 'must not contain bidi control characters (they reorder how text is displayed)')
    .refine((value) => !padded.test(value), 'must not start or end with spaces')
    .regex(plainText, 'must be plain text without control characters or surrounding spaces');

const earliest = Date.UTC(1900, 0, 1);
const localDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

function timestampMessage(issue: { input?: unknown }): string {
  if (typeof issue.input !== 'string') return 'must be a date-time string, e.g. 2024-05-01T12:00:00Z';
  if (localDateTime.test(issue.input)) {
    return 'needs a time zone offset: add Z (UTC) or ±hh:mm, e.g. 2024-05-01T12:00:00Z';
  }
  return 'must be an ISO-8601 date-time with Z or ±hh:mm, e.g. 2024-05-01T12:00:00Z';
}
const latest = Date.UTC(10000, 0, 1);

/** ISO-8601 date-time with Z or an offset, 1900..9999, kept to millisecond precision. */
export const timestamp = z.iso
  .datetime({ offset: true, error: timestampMessage })
  // Also in the document: years 1900..9999 (the exact bound is checked in UTC below).
  .regex(/^(19\d\d|[2-9]\d\d\d)-/, 'must be between 1900-01-01 and 9999-12-31')
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() >= earliest && date.getTime() < latest, 'must be between 1900-01-01 and 9999-12-31')
  .meta({ description: 'ISO-8601 date-time with a Z or ±hh:mm offset (stored with millisecond precision)' });

export const station = text(textLimits.station).meta({ description: 'Station identifier', example: 'berlin-mitte' });
export const kind = text(textLimits.kind).meta({ description: 'What was measured', example: 'temperature' });
export const value = z.number({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a number') }).meta({ description: 'Measured value (finite number)', example: 21.5 });
export const unit = text(textLimits.unit).nullable().meta({ description: 'Unit of the value', example: 'celsius' });

export const measurementInput = z
  .strictObject({
    station,
    kind,
    value,
    unit: unit.optional(),
    recordedAt: timestamp.optional(),
  })
  ;
export type MeasurementInput = z.output<typeof measurementInput>;

export const measurement = z
  .object({
    id: z.string().regex(/^\d+$/).meta({ description: 'Decimal string of a bigint id' }),
    station: z.string(),
    kind: z.string(),
    value: z.number(),
    unit: z.string().nullable(),
    recordedAt: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int().min(1),
    createdBy: z.string().nullable().meta({ description: 'Subject (sub) of the token that created it; null for rows from before sign-in' }),
    updatedBy: z.string().nullable().meta({ description: 'Subject (sub) of the token that last changed it' }),
  })
  ;

export const measurementPage = z
  .object({ items: z.array(measurement), nextCursor: z.string().nullable() })
  ;

const bigintMax = 9223372036854775807n;
/** Path id: a positive decimal integer; ids beyond bigint cannot exist (404). */
export const measurementIdPattern = /^[1-9][0-9]{0,18}$/;
export const measurementId = z.string().regex(measurementIdPattern, 'must be a positive integer');
export const idExists = (id: string) => BigInt(id) <= bigintMax;

export const exportQuery = z.strictObject({
  station: station.optional(),
  kind: kind.optional(),
  from: timestamp.optional().meta({ description: 'Inclusive lower bound on recordedAt' }),
  to: timestamp.optional().meta({ description: 'Exclusive upper bound on recordedAt' }),
  // An empty value selects the measurements without a unit (unit is null), so a chart can ask
  // for exactly one series of the statistics (which group by unit).
  unit: z
    .union([z.literal(''), text(textLimits.unit)])
    .optional()
    .meta({ description: 'Only this unit; empty selects measurements without a unit' }),
});
export type Filters = z.output<typeof exportQuery>;

export const listQuery = exportQuery.extend({
  limit: z
    .string()
    .regex(/^0*([1-9]\d?|[1-4]\d\d|500)$/, 'must be a whole number from 1 to 500')
    .transform(Number)
    .optional()
    .meta({ description: '1..500, default 50' }),
  cursor: z.string().max(200).optional().meta({ description: 'nextCursor from the previous page' }),
  order: z.enum(['desc', 'asc']).optional().meta({ description: 'recordedAt then id; default desc' }),
});
export type ListQuery = z.output<typeof listQuery>;

export const statsQuery = z.strictObject({ station: station.optional(), kind: kind.optional() });

export const statsItem = z.object({
  station: z.string(),
  kind: z.string(),
  unit: z.string().nullable(),
  count: z.number().int(),
  min: z.number(),
  max: z.number(),
  avg: z.number(),
  latest: z.object({ value: z.number(), recordedAt: z.iso.datetime() }),
});
export const stats = z.object({ items: z.array(statsItem) });

/** Turns zod issues into problem+json `errors` entries. */
export function issuesToDetails(error: z.ZodError, prefix?: string): ProblemDetail[] {
  // One message per field: the first failed check is the useful one.
  const seen = new Set<string>();
  const issues = error.issues.filter((issue) => {
    const key = issue.path.map(String).join('.');
    if (seen.has(key) && issue.code !== 'unrecognized_keys') return false;
    seen.add(key);
    return true;
  });
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter(Boolean).join('.') || undefined;
    if (issue.code === 'unrecognized_keys') {
      return { ...(field ? { field } : {}), message: `unknown field(s): ${issue.keys.join(', ')}` };
    }
    return { ...(field ? { field } : {}), message: humanMessage(issue) };
  });
}

/**
 * zod's own texts ("Too small: expected string to have >=1 characters") are for developers;
 * the schemas above word their checks for people, and this covers the generic issue kinds.
 */
function humanMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      // The field schemas word their own type errors; what is left is the body's shape.
      if (issue.path.length === 0) return issue.expected === 'object' ? 'the body must be a JSON object' : `must be of type ${issue.expected}`;
      return issue.message;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'string' && issue.minimum === 1 ? 'is required' : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters` : `must be at most ${String(issue.maximum)}`;
    case 'invalid_union': {
      // Only the filter `unit` is a union ('' or a unit): the unit's own reason is the useful one.
      const reason = issue.errors.at(-1)?.[0];
      return reason ? humanMessage(reason) : 'is not valid';
    }
    default:
      return issue.message;
  }
}
