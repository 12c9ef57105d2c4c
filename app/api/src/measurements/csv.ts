// CSV import validation: parses the file in one pass and checks every row with the same zod schema
// as the JSON API, collecting an error for EVERY bad row (1-based line numbers of the file)
// before anything touches the database.
import { parse } from 'csv-parse/sync';
import type { ProblemDetail } from '../errors';
import { issuesToDetails, measurementInput, type MeasurementInput } from './schemas';

export const csvColumns = ['station', 'kind', 'value', 'unit', 'recordedAt'] as const;
export const csvHeader = csvColumns.join(',');
/**
 * The export adds who created and last changed each row. The import accepts that header too
 * (an export imports back) but ignores those two columns: the author of an import is the
 * caller's token, never the file.
 */
export const exportColumns = [...csvColumns, 'createdBy', 'updatedBy'] as const;
export const exportHeader = exportColumns.join(',');

export interface CsvRow {
  readonly line: number;
  readonly input: MeasurementInput;
}

const decimal = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The error report lists this many errors (and counts the rest), so a huge bad file gets a small answer. */
export const maxReportedErrors = 100;

/**
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with one of
 * these as a formula. The export prefixes such text cells, and cells that already start with
 * the prefix, with an apostrophe; the import removes exactly that one apostrophe again.
 */
export const formulaTriggers = "=+-@\t\r'";
const escapedFormula = /^'[=+\-@\t\r']/;
export const unescapeFormula = (cell: string) => (escapedFormula.test(cell) ? cell.slice(1) : cell);

interface Parsed {
  record: string[];
  raw: string;
}

/**
 * Checks every row and hands each valid one to `onRow` as soon as it is parsed, so no array
 * of records or rows is kept for a large file (csv-parse's `on_record` returns nothing to
 * keep). The caller must still discard what `onRow` got when `errors` is not empty.
 */
export function validateCsv(csv: string, onRow: (row: CsvRow) => void): { count: number; errors: ProblemDetail[]; totalErrors: number } {
  const errors: ProblemDetail[] = [];
  let totalErrors = 0;
  let count = 0;
  let header: boolean | undefined;
  let width: number = csvColumns.length;
  // Line of the end of the last record read (or skipped): an unterminated quote opens after it.
  let lastLine = 0;
  // Errors arrive in line order except the header's, which goes first: keep only the first few.
  const report = (error: ProblemDetail, first = false) => {
    totalErrors++;
    if (first) errors.unshift(error);
    else errors.push(error);
    if (errors.length > maxReportedErrors) errors.pop();
  };
  const check = ({ record, raw }: Parsed, lines: number): void => {
    const line = firstLine(raw, lines);
    lastLine = lines;
    if (header === undefined) {
      const names = record.join(',');
      header = names === csvHeader || names === exportHeader;
      width = record.length;
      if (!header) report({ line, message: `the header line must be exactly ${csvHeader} (or ${exportHeader}, as exported)` }, true);
      return;
    }
    if (!header) return;
    if (record.length !== width) {
      report({ line, message: `expected ${width} fields (${width === csvColumns.length ? csvHeader : exportHeader}) but found ${record.length}` });
      return;
    }
    const [station, kind, value, unit, recordedAt] = record;
    if (!decimal.test(value)) {
      report({ line, field: 'value', message: value === '' ? 'is required' : 'must be a decimal number' });
      return;
    }
    const result = measurementInput.safeParse({
      station: unescapeFormula(station),
      kind: unescapeFormula(kind),
      value: Number(value),
      unit: unit === '' ? undefined : unescapeFormula(unit),
      recordedAt: recordedAt === '' ? undefined : recordedAt,
    });
    if (!result.success) {
      for (const issue of issuesToDetails(result.error)) report({ line, ...issue });
      return;
    }
    count++;
    // Once the file is known to be rejected, valid rows are only counted, not handed on.
    if (!totalErrors) onRow({ line, input: result.data });
  };
  parse(csv, {
    bom: true,
    raw: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Keep going after a quoting error so every bad row is reported, not just the first.
    skip_records_with_error: true,
    on_skip: (error: (Error & { lines?: number; code?: string }) | undefined) => {
      if (!error) return;
      if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
        // csv-parse names the end of the file; the user needs the line the quote opened on.
        const opened = openingQuoteLine(csv, lastLine);
        report({ line: opened, message: `a quoted field opened on line ${opened} is never closed` });
      } else {
        report({ line: error.lines ?? 1, message: error.message });
      }
      lastLine = error.lines ?? lastLine;
    },
    // With `raw`, csv-parse hands on_record `{ record, raw }` (its types say string[]).
    on_record: (parsed, info) => {
      check(parsed as unknown as Parsed, info.lines);
      return undefined;
    },
  });
  if (header === undefined) report({ line: 1, message: `the file must start with the header line ${csvHeader}` }, true);
  errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { count: totalErrors ? 0 : count, errors, totalErrors };
}

/**
 * The line of the quote left open at the end of `csv`, scanning from the line after
 * `afterLine` (where the unterminated record starts). Inside quotes `""` is an escaped quote,
 * which toggling on every quote handles: it closes and reopens at once.
 */
function openingQuoteLine(csv: string, afterLine: number): number {
  let line = 1;
  let i = 0;
  for (; i < csv.length && line <= afterLine; i++) {
    if (csv[i] === '\n' || (csv[i] === '\r' && csv[i + 1] !== '\n')) line++;
  }
  let quoted = false;
  let openedOn = line;
  for (; i < csv.length; i++) {
    const char = csv[i];
    if (char === '"') {
      quoted = !quoted;
      if (quoted) openedOn = line;
    } else if (char === '\n' || (char === '\r' && csv[i + 1] !== '\n')) {
      line++;
    }
  }
  return openedOn;
}

/** csv-parse reports the line a record ends on; a quoted field may span several lines. */
function firstLine(raw: string, lines: number): number {
  // Only a quoted field can hold a line break: skip the regex work for the common row.
  if (!raw.includes('"')) return lines;
  const newlines = raw.replace(/\r?\n$|\r$/, '').match(/\r\n|\n|\r/g)?.length ?? 0;
  return lines - newlines;
}
