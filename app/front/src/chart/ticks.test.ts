import { formatTimeTick, formatValueTick, niceTicks, timeTicks } from './ticks';

describe('niceTicks', () => {
  it('covers the range with round steps', () => {
    expect(niceTicks(3.2, 27.9)).toEqual([0, 10, 20, 30]);
    expect(niceTicks(0.12, 0.48)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(niceTicks(-7, 12)).toEqual([-10, -5, 0, 5, 10, 15]);
  });

  it('widens a single value into a range around it', () => {
    const ticks = niceTicks(20, 20);
    expect(ticks[0]).toBeLessThan(20);
    expect(ticks[ticks.length - 1]).toBeGreaterThan(20);
    expect(niceTicks(0, 0)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('returns nothing for non-finite input', () => {
    expect(niceTicks(Number.NaN, 1)).toEqual([]);
  });
});

describe('timeTicks', () => {
  it('puts ticks on whole hours for a day-long span', () => {
    const start = Date.parse('2024-05-01T00:10:00Z');
    const end = Date.parse('2024-05-01T23:50:00Z');
    const ticks = timeTicks(start, end, 6);
    expect(ticks.map((t) => new Date(t).toISOString().slice(11, 16))).toEqual(['06:00', '12:00', '18:00']);
  });

  it('labels ticks with the precision the span needs', () => {
    const t = Date.parse('2024-05-03T06:00:00Z');
    expect(formatTimeTick(t, 3_600_000)).toBe('06:00');
    expect(formatTimeTick(t, 3 * 86_400_000)).toBe('05-03 06:00');
    expect(formatTimeTick(t, 60 * 86_400_000)).toBe('05-03');
    expect(formatTimeTick(t, 800 * 86_400_000)).toBe('2024-05');
  });
});

describe('formatValueTick', () => {
  it('drops floating-point noise and shortens large values', () => {
    expect(formatValueTick(0.1 + 0.2)).toBe('0.3');
    expect(formatValueTick(25000)).toBe('25k');
    expect(formatValueTick(-4)).toBe('-4');
  });
});
