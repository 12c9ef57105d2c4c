import { isNumeric, readValues, toInput } from './measurement-input';

describe('toInput', () => {
  it('trims text, turns the value into a number and the UTC local time into an ISO instant', () => {
    expect(toInput({ station: ' lyon-01 ', kind: 'pm25 ', value: ' 12.5 ', unit: ' µg/m³', recordedAt: '2024-05-01T10:00' })).toEqual({
      station: 'lyon-01', kind: 'pm25', value: 12.5, unit: 'µg/m³', recordedAt: '2024-05-01T10:00:00Z',
    });
  });

  it('leaves out an empty unit and time so the API applies its defaults', () => {
    expect(toInput({ station: 'a', kind: 'b', value: '-3e2', unit: ' ', recordedAt: '' })).toEqual({ station: 'a', kind: 'b', value: -300 });
  });

  it('sends a number with a comma as typed, for the API to reject, instead of guessing 1.234 or 1234', () => {
    expect(toInput(readValues(new Map([['value', '1,234']]))).value).toBe('1,234');
  });

  it('sends a non-numeric value as typed, for the API to reject', () => {
    expect(toInput(readValues(new Map([['value', '12 degrees']]))).value).toBe('12 degrees');
  });
});

describe('isNumeric', () => {
  it('accepts plain decimals and refuses words, blanks, hex and commas', () => {
    expect(['1', '-1.5', '.5', '3.', '1e3', '1234.5'].every(isNumeric)).toBe(true);
    expect(['', 'abc', '0x10', '1.2.3', 'Infinity', '1 2', '2,5', '1,234', '1,234.5'].some(isNumeric)).toBe(false);
  });
});
