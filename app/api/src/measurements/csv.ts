// CSV import validation: reads the file as it arrives and checks every row with the same zod
// schema as the JSON API (or the equivalent shortcut of plain-row.ts), collecting an error for
// EVERY bad row (1-based line numbers of the file); the caller writes nothing unless there is
// none.
//
// csv-parse is the parser of record, but it costs ~10 µs a row (1-2 s of a 100,000-row import).
// Lines without a quote and without a stray line-break character cannot mean anything to it
// but `line.split(',')`, so those are split here; from the first line that could (a quote, a
// CR in an LF file...) to the end of the file, the text goes through csv-parse as before
// (csv.test.ts checks both give the same rows, lines and errors on generated files).
import { parse } from 'csv-parse/sync';
import type { ProblemDetail } from '../errors';
import { plainRow } from './plain-row';
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
  /**
   * recordedAt as written, when it is UTC with at most milliseconds (plain-row.ts): PostgreSQL
   * reads it as the same instant, so a writer can skip formatting the Date again.
   */
  readonly recordedAtText?: string;
}

export interface CsvResult {
  /** Valid rows (0 when there are errors). */
  readonly count: number;
  /** The first maxReportedErrors errors, in line order. */
  readonly errors: ProblemDetail[];
  readonly totalErrors: number;
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

// Characters that make a line csv-parse's business, per record delimiter: a quote, or a line
// break other than the delimiter (csv-parse counts lines on every CR and LF).
const maxPlainLine = 65_536;
const needsParser: Record<string, RegExp> = { '\n': /["\r]/, '\r\n': /["\r\n]/, '\r': /["\n]/ };

/**
 * Checks rows as text is written to it and hands each valid one to `onRow` at once, so no
 * array of records or rows is kept for a large file. The caller must still discard what
 * `onRow` got when end() reports errors. Text after the first line that needs csv-parse is
 * kept until end() and parsed there.
 */
export class CsvValidator {
  private readonly errors: ProblemDetail[] = [];
  private totalErrors = 0;
  private count = 0;
  private header: boolean | undefined;
  /** Fields per row: the header's (the import's five, or the export's seven). */
  private width: number = csvColumns.length;
  /** Line of the end of the last record read (or skipped): an unterminated quote opens after it. */
  private lastLine = 0;
  /** Lines split here so far (records and empty lines). */
  private lines = 0;
  /** csv-parse's record delimiter, found (as it does) at the first CR or LF of the file. */
  private delimiter: string | undefined;
  /** The unfinished last line of what was written. */
  private partial = '';
  private started = false;
  /** Text from the first line csv-parse must read, or undefined while every line was plain. */
  private rest: string[] | undefined;

  /**
   * @param options.plainLines split plain lines here (default true); false sends the whole
   * file through csv-parse, as before the shortcut (tests compare the two).
   */
  constructor(
    private readonly onRow: (row: CsvRow) => void,
    options: { readonly plainLines?: boolean } = {},
  ) {
    if (options.plainLines === false) this.rest = [];
  }

  write(text: string): void {
    if (!this.started && text !== '') {
      this.started = true;
      // csv-parse's `bom` option: one byte-order mark at the start (after the one the UTF-8
      // decoding removed) is not part of the header.
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (this.rest) {
      this.rest.push(text);
      return;
    }
    this.split(this.partial + text, false);
  }

  end(): CsvResult {
    if (!this.rest) this.split(this.partial, true);
    if (this.rest) this.parseRest(this.rest.join(''));
    if (this.header === undefined) this.report({ line: 1, message: `the file must start with the header line ${csvHeader}` }, true);
    this.errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return { count: this.totalErrors ? 0 : this.count, errors: this.errors, totalErrors: this.totalErrors };
  }

  /** Checks every complete plain line of `text`; keeps the unfinished end in `partial`. */
  private split(text: string, final: boolean): void {
    let pos = 0;
    for (;;) {
      // Without any line break yet, wait for more text (or, at the end, take it as one line).
      if (this.delimiter === undefined && !this.findDelimiter(text, final) && !final) break;
      const delimiter = this.delimiter;
      let end = delimiter === undefined ? -1 : text.indexOf(delimiter, pos);
      if (end === -1) {
        if (!final) break;
        // The last line of the file, without a line break.
        end = text.length;
      }
      const line = text.slice(pos, end);
      if (delimiter !== undefined ? needsParser[delimiter].test(line) : /["\r\n]/.test(line)) {
        this.rest = [text.slice(pos)];
        this.partial = '';
        return;
      }
      if (end === text.length && line === '') break;
      this.lines++;
      // csv-parse's skip_empty_lines: an empty line is counted but is no record.
      if (line !== '') {
        this.lastLine = this.lines;
        this.check(line.split(','), this.lines);
      }
      pos = end + (delimiter?.length ?? 0);
      if (pos >= text.length) break;
    }
    this.partial = text.slice(pos);
    // No row is this long: leave a line that does not end to csv-parse rather than joining
    // ever longer strings here.
    if (this.partial.length > maxPlainLine) {
      this.rest = [this.partial];
      this.partial = '';
    }
  }

  /** csv-parse's auto-discovery: CRLF, LF or CR at the first line break. False: need more text. */
  private findDelimiter(text: string, final: boolean): boolean {
    const at = text.search(/[\r\n]/);
    if (at === -1) return false;
    if (text[at] === '\n') this.delimiter = '\n';
    else if (at + 1 < text.length) this.delimiter = text[at + 1] === '\n' ? '\r\n' : '\r';
    else if (final) this.delimiter = '\r';
    else return false;
    return true;
  }

  /** csv-parse from the first line it must read to the end of the file. */
  private parseRest(rest: string): void {
    // Empty lines in front (skipped by skip_empty_lines) make csv-parse count lines, in its
    // messages too, as in the whole file, and find the same record delimiter.
    const csv = (this.delimiter ?? '').repeat(this.lines) + rest;
    parse(csv, {
      raw: true,
      relax_column_count: true,
      skip_empty_lines: true,
      // Keep going after a quoting error so every bad row is reported, not just the first.
      skip_records_with_error: true,
      on_skip: (error: (Error & { lines?: number; code?: string }) | undefined) => {
        if (!error) return;
        if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
          // csv-parse names the end of the file; the user needs the line the quote opened on.
          const opened = openingQuoteLine(csv, this.lastLine);
          this.report({ line: opened, message: `a quoted field opened on line ${opened} is never closed` });
        } else {
          this.report({ line: error.lines ?? 1, message: error.message });
        }
        this.lastLine = error.lines ?? this.lastLine;
      },
      // With `raw`, csv-parse hands on_record `{ record, raw }` (its types say string[]).
      on_record: (parsed, info) => {
        const { record, raw } = parsed as unknown as Parsed;
        this.lastLine = info.lines;
        this.check(record, firstLine(raw, info.lines));
        return undefined;
      },
    });
  }

  // Errors arrive in line order except the header's, which goes first: keep only the first few.
  private report(error: ProblemDetail, first = false): void {
    this.totalErrors++;
    if (first) this.errors.unshift(error);
    else this.errors.push(error);
    if (this.errors.length > maxReportedErrors) this.errors.pop();
  }

  private check(record: string[], line: number): void {
    if (this.header === undefined) {
      const names = record.join(',');
      this.header = names === csvHeader || names === exportHeader;
      this.width = record.length;
      if (!this.header) this.report({ line, message: `the header line must be exactly ${csvHeader} (or ${exportHeader}, as exported)` }, true);
      return;
    }
    if (!this.header) return;
    if (record.length !== this.width) {
      this.report({ line, message: `expected ${this.width} fields (${this.width === csvColumns.length ? csvHeader : exportHeader}) but found ${record.length}` });
      return;
    }
    const [station, kind, value, unit, recordedAt] = record;
    if (!decimal.test(value)) {
      this.report({ line, field: 'value', message: value === '' ? 'is required' : 'must be a decimal number' });
      return;
    }
    const [s, k, u] = [unescapeFormula(station), unescapeFormula(kind), unescapeFormula(unit)];
    let input = plainRow(s, k, Number(value), u, recordedAt);
    const recordedAtText = input && recordedAt !== '' ? recordedAt : undefined;
    if (!input) {
      const result = measurementInput.safeParse({
        station: s,
        kind: k,
        value: Number(value),
        unit: unit === '' ? undefined : u,
        recordedAt: recordedAt === '' ? undefined : recordedAt,
      });
      if (!result.success) {
        for (const issue of issuesToDetails(result.error)) this.report({ line, ...issue });
        return;
      }
      input = result.data;
    }
    this.count++;
    // Once the file is known to be rejected, valid rows are only counted, not handed on.
    if (!this.totalErrors) this.onRow(recordedAtText === undefined ? { line, input } : { line, input, recordedAtText });
  }
}

/** Checks a whole file at once (see CsvValidator). */
export function validateCsv(csv: string, onRow: (row: CsvRow) => void): CsvResult {
  const validator = new CsvValidator(onRow);
  validator.write(csv);
  return validator.end();
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
  // The raw text also holds the empty lines skipped just before the record: not its lines.
  const newlines = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$|\r$/, '').match(/\r\n|\n|\r/g)?.length ?? 0;
  return lines - newlines;
}
