import fc from 'fast-check';
import { httpDate } from './http-date';

describe('httpDate', () => {
  it('formats every timestamp of years 0-9999 as toUTCString does', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), (date) => {
        expect(httpDate(date.toISOString())).toBe(date.toUTCString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('leaves other text to the Date parser, and counts weekdays before 1970', () => {
    expect(httpDate('2024-02-29T12:00:00Z')).toBe('Thu, 29 Feb 2024 12:00:00 GMT');
    expect(httpDate('1969-12-31T23:59:59.999Z')).toBe('Wed, 31 Dec 1969 23:59:59 GMT');
    expect(httpDate('0050-06-01T00:00:00.000Z')).toBe(new Date('0050-06-01T00:00:00.000Z').toUTCString());
  });
});
