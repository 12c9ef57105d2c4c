// The plain-line shortcut of CsvValidator against csv-parse reading the whole file (the
// validator without the shortcut, as before it existed): same rows, lines and errors, however
// the text is cut into chunks.
import fc from 'fast-check';
import { CsvValidator, csvHeader, type CsvResult, type CsvRow } from './csv';

function validate(chunks: readonly string[], plainLines: boolean): { rows: CsvRow[]; result: CsvResult } {
  const rows: CsvRow[] = [];
  const validator = new CsvValidator((row) => rows.push(row), { plainLines });
  for (const chunk of chunks) validator.write(chunk);
  return { rows, result: validator.end() };
}

/** Cuts `text` at the given fractions (as a request body arrives in pieces). */
function cut(text: string, at: readonly number[]): string[] {
  const points = [...new Set(at.map((f) => Math.floor(f * text.length)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(text.slice(from, point));
    from = point;
  }
  pieces.push(text.slice(from));
  return pieces;
}

const cell = fc.oneof(
  fc.constantFrom('a', 'station-1', "'=x", "'", ' padded', 'b\u00e9', '\u202Eevil', '', 'x'.repeat(101)),
  fc.constantFrom('1', '-2.5', '1e999', 'abc', '.5', '+3E2'),
  fc.constantFrom('2024-01-01T00:00:00Z', '2024-02-29T12:00:00.123Z', '2023-02-29T00:00:00Z', '2024-01-01T00:00:00+01:00', '1899-12-31T23:59:59Z', '2024-01-01T00:00:00.1234Z', 'yesterday'),
  fc.constantFrom('"q"', '"a,b"', '"two\nlines"', '"open', 'x"y', '"bad"x', '""'),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', ' ', '1', '\u0000'), maxLength: 6 }),
);
const row = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom('s', 'station-7', "'+1"), fc.constantFrom('t', 'pm25'), fc.constantFrom('1', '2.5', '-0.25'), fc.constantFrom('', 'c'), fc.constantFrom('', '2024-05-01T12:00:00.000Z', '2024-05-30T00:00:00Z')).map((f) => f.join(',')) },
  { weight: 3, arbitrary: fc.array(cell, { minLength: 1, maxLength: 7 }).map((f) => f.join(',')) },
  { weight: 1, arbitrary: fc.constant('') },
);
const lineEnd = fc.oneof({ weight: 8, arbitrary: fc.constantFrom('\n', '\r\n', '\r') }, { weight: 1, arbitrary: fc.constant('\r\r') });
const file = fc
  .tuple(
    fc.constantFrom(csvHeader, csvHeader, '\uFEFF' + csvHeader, '"station",kind,value,unit,recordedAt', 'station,kind', ''),
    fc.array(row, { maxLength: 12 }),
    lineEnd,
    fc.boolean(),
    fc.array(fc.tuple(fc.nat(12), lineEnd), { maxLength: 2 }),
    fc.boolean(),
  )
  .map(([header, rows, end, sameEnds, otherEnds, trailing]) => {
    const ends = rows.map(() => end);
    // Mostly one kind of line end, sometimes a few others mixed in.
    if (!sameEnds) for (const [index, other] of otherEnds) if (index < ends.length) ends[index] = other;
    return header + rows.map((text, i) => (i === 0 ? end : ends[i - 1]) + text).join('') + (trailing ? end : '');
  });

describe('CsvValidator', () => {
  it('gives the same rows, lines and errors as csv-parse on the whole file, in any chunks', () => {
    fc.assert(
      fc.property(file, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }), (text, at) => {
        const expected = validate([text], false);
        expect(validate(cut(text, at), true)).toEqual(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('takes the shortcut for plain lines and still reports errors after a quoted line', () => {
    const rows: CsvRow[] = [];
    const validator = new CsvValidator((row) => rows.push(row));
    validator.write(`${csvHeader}\na,t,1,,2024-01-01T00:00:00Z\n"b",t,2,,\nc,t,x,,\n`);
    const result = validator.end();
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
    expect(result).toEqual({ count: 0, totalErrors: 1, errors: [{ line: 4, field: 'value', message: 'must be a decimal number' }] });
  });

  it('hands a line longer than any row to csv-parse instead of joining it forever', () => {
    const validator = new CsvValidator(() => undefined);
    validator.write(`${csvHeader}\n`);
    for (let i = 0; i < 40; i++) validator.write('x'.repeat(4096));
    expect(validator.end()).toEqual({ count: 0, totalErrors: 1, errors: [{ line: 2, message: expect.stringContaining('expected 5 fields') }] });
  });
});
