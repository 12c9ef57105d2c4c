// plainRow and plainInput may only shortcut input the zod schema accepts, with the schema's own
// output.
import fc from 'fast-check';
import { plainInput, plainRow } from './plain-row';
import { measurementInput } from './schemas';

const textCell = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '~', '!', '\t', '\u00a0', '\u00e9', '\u202e', '\ud800', '\u007f'), maxLength: 8 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 15, maxLength: 105 }),
);
const timestampCell = fc.oneof(
  fc.date({ min: new Date(Date.UTC(1800, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.tuple(fc.integer({ min: 1890, max: 10001 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }), fc.constantFrom('', '.1', '.12', '.123', '.1234', '.'), fc.constantFrom('Z', '+01:00', 'z', ''))
    .map(([y, mo, d, h, mi, frac, zone]) => `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:${String(mi).padStart(2, '0')}${frac}${zone}`),
  fc.constant(''),
);
const value = fc.oneof(fc.double(), fc.constantFrom(Infinity, -Infinity, 1e308 * 10));

describe('plainRow', () => {
  it('accepts only what the schema accepts, and returns what the schema returns', () => {
    let shortcuts = 0;
    fc.assert(
      fc.property(textCell, textCell, value, fc.oneof(fc.constant(''), textCell), timestampCell, (station, kind, number, unit, recordedAt) => {
        const fast = plainRow(station, kind, number, unit, recordedAt);
        if (fast === undefined) return;
        shortcuts++;
        const result = measurementInput.safeParse({
          station,
          kind,
          value: number,
          unit: unit === '' ? undefined : unit,
          recordedAt: recordedAt === '' ? undefined : recordedAt,
        });
        expect(result.success).toBe(true);
        expect(fast).toEqual(result.data);
      }),
      { numRuns: 5000 },
    );
    // The generators must reach the shortcut often enough for the comparison to mean something.
    expect(shortcuts).toBeGreaterThan(100);
  });

  it('leaves time zone offsets, late days of the month and long fractions to zod', () => {
    for (const recordedAt of ['2024-01-01T00:00:00+01:00', '2024-01-31T00:00:00Z', '2024-01-01T00:00:00.1234Z']) {
      expect(plainRow('s', 'k', 1, '', recordedAt)).toBeUndefined();
    }
    expect(plainRow('s', 'k', 1, 'c', '2024-01-28T23:59:59.999Z')).toEqual({ station: 's', kind: 'k', value: 1, unit: 'c', recordedAt: new Date('2024-01-28T23:59:59.999Z') });
  });
});

describe('plainInput', () => {
  // JSON bodies: each field absent, of the right type (most often) or of another, and now and
  // then a key the schema refuses.
  const field = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary, weight: 6 }, { arbitrary: fc.constantFrom(null, 1, true, [], {}, 'x', ''), weight: 1 });
  const plainOrAny = fc.oneof({ arbitrary: fc.stringMatching(/^[a-z][a-z0-9 -]{0,8}[a-z0-9]$/), weight: 3 }, { arbitrary: textCell, weight: 1 });
  const fields = fc.record(
    { station: field(plainOrAny), kind: field(plainOrAny), value: fc.oneof({ arbitrary: value, weight: 6 }, { arbitrary: fc.constantFrom('1', null), weight: 1 }), unit: field(plainOrAny), recordedAt: field(timestampCell.filter((cell) => cell !== '')) },
    { requiredKeys: ['station', 'kind', 'value'] },
  );
  const body = fc
    .tuple(fields, fc.option(fc.constantFrom('extra', '__proto__', 'Station', 'id'), { freq: 5 }))
    .map(([record, extra]) => {
      const text = JSON.stringify(record);
      // JSON.parse makes "__proto__" an own key, as it does for a request body.
      return JSON.parse(extra === null ? text : `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${JSON.stringify(extra)}:1}`) as unknown;
    });

  it('accepts only what the schema accepts, and returns what the schema returns', () => {
    let shortcuts = 0;
    fc.assert(
      fc.property(fc.oneof(body, fc.constantFrom(null, [], 'text', 1)), (json) => {
        const fast = plainInput(json);
        if (fast === undefined) return;
        shortcuts++;
        const result = measurementInput.safeParse(json);
        expect(result.success).toBe(true);
        expect(fast).toStrictEqual(result.data);
      }),
      { numRuns: 20000 },
    );
    expect(shortcuts).toBeGreaterThan(100);
  });

  it('keeps an explicit null unit and leaves an absent one out, as zod does', () => {
    expect(plainInput({ station: 's', kind: 'k', value: 1, unit: null })).toStrictEqual({ station: 's', kind: 'k', value: 1, unit: null });
    expect(plainInput({ station: 's', kind: 'k', value: 1 })).toStrictEqual({ station: 's', kind: 'k', value: 1 });
    expect(plainInput({ station: 's', kind: 'k', value: 1, note: 'x' })).toBeUndefined();
  });
});
