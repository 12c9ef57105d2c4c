// CSV import validation: parses the whole file and checks every row with the same zod schema
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
  info: { lines: number; raw: string };
}

export function validateCsv(csv: string): { rows: CsvRow[]; errors: ProblemDetail[] } {
  const errors: ProblemDetail[] = [];
  const records = parse(csv, {
    bom: true,
    info: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Keep going after a quoting error so every bad row is reported, not just the first.
    skip_records_with_error: true,
    on_skip: (error: (Error & { lines?: number }) | undefined) => {
      if (error) errors.push({ line: error.lines ?? 1, message: error.message });
    },
  }) as unknown as Parsed[];

  const [header, ...body] = records;
  if (!header) {
    errors.unshift({ line: 1, message: `the file must start with the header line ${csvHeader}` });
    return { rows: [], errors };
  }
  if (header.record.join(',') !== csvHeader) {
    errors.unshift({ line: firstLine(header), message: `the header line must be exactly ${csvHeader}` });
    return { rows: [], errors };
  }

  const rows: CsvRow[] = [];
  for (const { record, info } of body) {
    const line = firstLine({ record, info });
    if (record.length !== csvColumns.length) {
      errors.push({ line, message: `expected ${csvColumns.length} fields (${csvHeader}) but found ${record.length}` });
      continue;
    }
    const [station, kind, value, unit, recordedAt] = record;
    if (!decimal.test(value)) {
      errors.push({ line, field: 'value', message: value === '' ? 'is required' : 'must be a decimal number' });
      continue;
    }
    const result = measurementInput.safeParse({
      station,
      kind,
      value: Number(value),
      unit: unit === '' ? undefined : unit,
      recordedAt: recordedAt === '' ? undefined : recordedAt,
    });
    if (result.success) rows.push({ line, input: result.data });
    else for (const issue of issuesToDetails(result.error)) errors.push({ line, ...issue });
  }
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { rows, errors };
}

/** csv-parse reports the line a record ends on; a quoted field may span several lines. */
function firstLine({ info }: Parsed): number {
  const newlines = info.raw.replace(/\r?\n$|\r$/, '').match(/\r\n|\n|\r/g)?.length ?? 0;
  return info.lines - newlines;
}
