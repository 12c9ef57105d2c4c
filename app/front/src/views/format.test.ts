import { isNumeric, toInput } from '../routes/measurement-input';
import { formatNumber, fromDateTimeLocal, toDateTimeLocal } from './format';

describe('formatNumber', () => {
  it('shows stored values exactly, without thousands separators, in a form the form accepts back', () => {
    for (const value of [1234.5, 1234567, -2.5, 0.1 + 0.2, 1e-7, 1e21, 5e-324]) {
      const shown = formatNumber(value);
      expect(shown).not.toContain(',');
      expect(isNumeric(shown)).toBe(true);
      expect(toInput({ station: 's', kind: 'k', value: shown, unit: '', recordedAt: '' }).value).toBe(value);
    }
  });

  it('rounds derived figures to the decimals asked for, still without grouping', () => {
    expect(formatNumber(12345.678, 2)).toBe('12345.68');
  });
});

describe('toDateTimeLocal', () => {
  it('keeps milliseconds so an untouched time is written back exactly', () => {
    expect(toDateTimeLocal('2024-05-01T10:00:00.123Z')).toBe('2024-05-01T10:00:00.123');
    expect(fromDateTimeLocal(toDateTimeLocal('2024-05-01T10:00:00.123Z'))).toBe('2024-05-01T10:00:00.123Z');
    expect(toDateTimeLocal('2024-05-01T10:00:00.000Z')).toBe('2024-05-01T10:00:00');
  });
});
