// plainRow may only shortcut rows the zod schema accepts, with the schema's own output.
import fc from 'fast-check';
import { plainRow } from './plain-row';
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
