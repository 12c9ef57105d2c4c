// CSV import validation: parses the file in one pass and checks every row with the same zod schema
// as the JSON API, collecting an error for EVERY bad row (1-based line numbers of the file)
// before anything touches the database.
import { parse } from 'csv-parse/sync';
import type { ProblemDetail } from '../errors';
import { issuesToDetails, measurementInput, type MeasurementInput } from './schemas';

export const csvColumns = ['station', 'kind', 'value', 'unit', 'recordedAt'] as const;
export const csvHeader = csvColumns.join(',');

export interface CsvRow {
  readonly line: number;
  readonly input: MeasurementInput;
}

const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

interface Parsed {
  record: string[];
  raw: string;
}

/**
 * Checks every row and hands each valid one to `onRow` as soon as it is parsed, so no array
 * of records or rows is kept for a large file (csv-parse's `on_record` returns nothing to
 * keep). The caller must still discard what `onRow` got when `errors` is not empty.
 */
export function validateCsv(csv: string, onRow: (row: CsvRow) => void): { count: number; errors: ProblemDetail[] } {
  const errors: ProblemDetail[] = [];
  let count = 0;
  let header: boolean | undefined;
  const check = ({ record, raw }: Parsed, lines: number): void => {
    const line = firstLine(raw, lines);
    if (header === undefined) {
      header = record.join(',') === csvHeader;
      if (!header) errors.unshift({ line, message: `the header line must be exactly ${csvHeader}` });
      return;
    }
    if (!header) return;
    if (record.length !== csvColumns.length) {
      errors.push({ line, message: `expected ${csvColumns.length} fields (${csvHeader}) but found ${record.length}` });
      return;
    }
    const [station, kind, value, unit, recordedAt] = record;
    if (!decimal.test(value)) {
      errors.push({ line, field: 'value', message: value === '' ? 'is required' : 'must be a decimal number' });
      return;
    }
    const result = measurementInput.safeParse({
      station,
      kind,
      value: Number(value),
      unit: unit === '' ? undefined : unit,
      recordedAt: recordedAt === '' ? undefined : recordedAt,
    });
    if (!result.success) {
      for (const issue of issuesToDetails(result.error)) errors.push({ line, ...issue });
      return;
    }
    count++;
    // Once the file is known to be rejected, valid rows are only counted, not handed on.
    if (!errors.length) onRow({ line, input: result.data });
  };
  parse(csv, {
    bom: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Keep going after a quoting error so every bad row is reported, not just the first.
    skip_records_with_error: true,
    on_skip: (error: (Error & { lines?: number }) | undefined) => {
      if (error) errors.push({ line: error.lines ?? 1, message: error.message });
    },
    // With `raw`, csv-parse hands on_record `{ record, raw }` (its types say string[]).
    on_record: (parsed, info) => {
      check(parsed as unknown as Parsed, info.lines);
      return undefined;
    },
  });
  if (header === undefined) errors.unshift({ line: 1, message: `the file must start with the header line ${csvHeader}` });
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { count: errors.length ? 0 : count, errors };
}

/** csv-parse reports the line a record ends on; a quoted field may span several lines. */
function firstLine(raw: string, lines: number): number {
  // Only a quoted field can hold a line break: skip the regex work for the common row.
  if (!raw.includes('"')) return lines;
  const newlines = raw.replace(/\r?\n$|\r$/, '').match(/\r\n|\n|\r/g)?.length ?? 0;
  return lines - newlines;
}
