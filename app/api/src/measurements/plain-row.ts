// A shortcut past zod for the CSV rows almost every file consists of: printable-ASCII text,
// a decimal value and a UTC timestamp. zod's checks cost ~5-10 µs a row (five refinements and
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
