// A shortcut past zod for the CSV rows almost every file consists of, and for the JSON bodies
// of POST and PUT: printable-ASCII text, a finite value and a UTC timestamp. zod's checks cost ~5-10 µs a row (five refinements and
// a pattern per text field, the ISO date-time pattern), most of a 100,000-row import; these
// checks cost well under 1 µs. They accept only rows the zod schema accepts and give the same
// output (plain-row.test.ts compares both on generated rows); anything else, valid or not,
// returns undefined and goes through zod, which also words the errors.
import type { MeasurementInput } from './schemas';
import { textLimits } from './schemas';

// Printable ASCII without a space at either end: no control, bidi or surrogate character, not
// blank, not padded, so every text refinement of schemas.ts holds.
const asciiText = /^[!-~](?:[ -~]*[!-~])?$/;
// UTC to the millisecond in years 1900..9999 (inside the schema's range) and days 01..28,
// which exist in every month; other days, offsets and precisions are left to zod.
const utcTimestamp = /^(?:19\d\d|[2-9]\d\d\d)-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,3})?Z$/;

const text = (value: string, max: number) => value.length <= max && asciiText.test(value);

/**
 * The parsed row when every field takes the shortcut, else undefined. Takes the cells after
 * the formula apostrophe is removed and the value after csv.ts checked it is a decimal.
 */
export function plainRow(station: string, kind: string, value: number, unit: string, recordedAt: string): MeasurementInput | undefined {
  if (!text(station, textLimits.station) || !text(kind, textLimits.kind) || !Number.isFinite(value)) return undefined;
  if (unit !== '' && !text(unit, textLimits.unit)) return undefined;
  if (recordedAt !== '' && !utcTimestamp.test(recordedAt)) return undefined;
  return {
    station,
    kind,
    value,
    unit: unit === '' ? undefined : unit,
    recordedAt: recordedAt === '' ? undefined : new Date(recordedAt),
  };
}

const inputKeys: ReadonlySet<string> = new Set(['station', 'kind', 'value', 'unit', 'recordedAt']);

/**
 * A parsed POST/PUT body as measurementInput would return it, when it is an object of plain
 * fields only (the schema is strict: any other key goes to zod, which names it), else
 * undefined. On the POST path zod cost ~24 µs of ~700 per request (app/api/README.md).
 */
export function plainInput(body: unknown): MeasurementInput | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  for (const key of Object.keys(body)) if (!inputKeys.has(key)) return undefined;
  const { station, kind, value, unit, recordedAt } = body as Record<string, unknown>;
  if (typeof station !== 'string' || !text(station, textLimits.station)) return undefined;
  if (typeof kind !== 'string' || !text(kind, textLimits.kind)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  if (unit !== undefined && unit !== null && (typeof unit !== 'string' || !text(unit, textLimits.unit))) return undefined;
  if (recordedAt !== undefined && (typeof recordedAt !== 'string' || !utcTimestamp.test(recordedAt))) return undefined;
  const input: MeasurementInput = { station, kind, value };
  // zod leaves an absent optional key out and keeps an explicit null.
  if ('unit' in body) input.unit = unit as string | null;
  if (recordedAt !== undefined) input.recordedAt = new Date(recordedAt);
  return input;
}
