import { CSV_HEADER, demoCsv } from './demo-data';

describe('demoCsv', () => {
  const end = new Date('2024-05-03T10:20:00Z');
  const lines = demoCsv(end, 24).trim().split('\n');

  it('starts with the API import header and has one line per station, kind and hour', () => {
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines).toHaveLength(1 + 4 * 3 * 24);
  });

  it('ends each series on the last whole hour with valid numbers and units', () => {
    const last = lines.filter((line) => line.startsWith('lyon-centre,temperature,')).at(-1);
    expect(last).toMatch(/^lyon-centre,temperature,\d+\.\d,°C,2024-05-03T10:00:00\.000Z$/);
    for (const line of lines.slice(1)) expect(Number.isFinite(Number(line.split(',')[2]))).toBe(true);
  });

  it('produces the same data on every run', () => {
    expect(demoCsv(end, 24)).toBe(demoCsv(end, 24));
  });
});
