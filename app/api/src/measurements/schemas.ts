// The measurement's shapes, shared by validation (routes, CSV import) and /openapi.json.
import { z } from 'zod';
import type { ProblemDetail } from '../errors';

const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => /\S/.test(value), 'must not be blank')
    // PostgreSQL text cannot hold NUL; reject it here instead of failing in the database.
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL characters');

const earliest = Date.UTC(1900, 0, 1);
const latest = Date.UTC(10000, 0, 1);

/** ISO-8601 date-time with Z or an offset, 1900..9999, kept to millisecond precision. */
export const timestamp = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .refine((date) => date.getTime() >= earliest && date.getTime() < latest, 'must be between 1900-01-01 and 9999-12-31')
  .meta({ description: 'ISO-8601 date-time with a Z or ±hh:mm offset (stored with millisecond precision)' });

export const station = text(100).meta({ description: 'Station identifier', example: 'berlin-mitte' });
export const kind = text(50).meta({ description: 'What was measured', example: 'temperature' });
export const value = z.number().meta({ description: 'Measured value (finite number)', example: 21.5 });
export const unit = text(20).nullable().meta({ description: 'Unit of the value', example: 'celsius' });

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
  })
  ;

export const measurementPage = z
  .object({ items: z.array(measurement), nextCursor: z.string().nullable() })
  ;

const bigintMax = 9223372036854775807n;
/** Path id: a positive decimal integer; ids beyond bigint cannot exist (404). */
export const measurementId = z.string().regex(/^[1-9][0-9]{0,18}$/, 'must be a positive integer');
export const idExists = (id: string) => BigInt(id) <= bigintMax;

export const exportQuery = z.strictObject({
  station: station.optional(),
  kind: kind.optional(),
  from: timestamp.optional().meta({ description: 'Inclusive lower bound on recordedAt' }),
  to: timestamp.optional().meta({ description: 'Exclusive upper bound on recordedAt' }),
});
export type Filters = z.output<typeof exportQuery>;

export const listQuery = exportQuery.extend({
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(500))
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
    return { ...(field ? { field } : {}), message: issue.message };
  });
}
