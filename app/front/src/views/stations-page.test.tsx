import type { SeriesStats } from '../api/types';
import { expectNoInjectedMarkup, HOSTILE, PAGE, renderElements, textOf } from '../../test/support/html';
import { StationsPage } from './stations-page';

function stats(overrides: Partial<SeriesStats> = {}): SeriesStats {
  return {
    station: 'lyon-01', kind: 'temperature', unit: '°C', count: 3, min: 18, max: 22.5, avg: 20.1,
    latest: { value: 22.5, recordedAt: '2024-05-01T12:00:00.000Z' }, ...overrides,
  };
}
const points = [
  { t: Date.parse('2024-05-01T10:00:00Z'), v: 18 },
  { t: Date.parse('2024-05-01T11:00:00Z'), v: 19.8 },
  { t: Date.parse('2024-05-01T12:00:00Z'), v: 22.5 },
];

describe('StationsPage', () => {
  it('groups series by station, with the latest value, statistics and a chart for each kind', () => {
    const { elements } = renderElements(
      <StationsPage page={PAGE} pointsPerChart={100} omitted={0} series={[
        { stats: stats({ avg: 20.123456 }), points },
        { stats: stats({ kind: 'pm25', unit: 'µg/m³' }), points },
        { stats: stats({ station: 'paris-02' }), points },
      ]} />,
    );
    expect(elements.filter((e) => e.tag === 'h2').map((e) => e.text)).toEqual(['lyon-01', 'paris-02']);
    expect(elements.filter((e) => e.tag === 'h3').map((e) => e.text)).toEqual(['temperature (°C)', 'pm25 (µg/m³)', 'temperature (°C)']);
    expect(elements.filter((e) => e.tag === 'svg')).toHaveLength(3);
    expect(new Set(elements.filter((e) => e.tag === 'svg').map((e) => e.attrs['aria-labelledby'])).size).toBe(3);
    expect(elements.filter((e) => e.attrs.class === 'latest-value').map((e) => e.text)).toEqual(['22.5 °C', '22.5 µg/m³', '22.5 °C']);
    expect(textOf(elements)).toContain('Average20.12');
  });

  it('says how many series were left out', () => {
    const { elements } = renderElements(<StationsPage page={PAGE} pointsPerChart={100} omitted={3} series={[{ stats: stats(), points }]} />);
    expect(textOf(elements)).toContain('3 more series are not shown');
  });

  it('says when there is nothing to show', () => {
    const { elements } = renderElements(<StationsPage page={PAGE} pointsPerChart={100} omitted={0} station="x" series={[]} />);
    expect(textOf(elements)).toContain('No measurements for this station yet.');
  });

  it('escapes hostile station, kind and unit names in headings, links and charts', () => {
    const series = HOSTILE.map((s) => ({ stats: stats({ station: s, kind: s, unit: s }), points }));
    const { elements } = renderElements(<StationsPage page={PAGE} pointsPerChart={100} omitted={0} series={series} station={HOSTILE[3]} />);
    expectNoInjectedMarkup(elements);
    expect(elements.find((e) => e.tag === 'h1')?.text).toBe(`Station ${HOSTILE[3]}`);
  });
});
