import { renderToString } from 'preact-render-to-string';
import { parse } from 'parse5';
import { expectNoInjectedMarkup, HOSTILE, PAGE, renderElements } from '../../test/support/html';
import { Layout } from './layout';
import { LineChart } from './line-chart';

const HOUR = 3_600_000;
const start = Date.parse('2024-05-01T00:00:00Z');
const points = Array.from({ length: 24 }, (_, i) => ({ t: start + i * HOUR, v: 10 + Math.sin(i / 4) * 5 }));

function chart(props: Partial<Parameters<typeof LineChart>[0]> = {}) {
  return renderElements(
    <Layout page={PAGE} title="t">
      <LineChart id="c1" title="temperature at lyon-01" points={points} unit="°C" {...props} />
    </Layout>,
  ).elements;
}

describe('LineChart', () => {
  it('is an accessible image titled and described in words', () => {
    const elements = chart();
    const svg = elements.find((e) => e.tag === 'svg');
    expect(svg?.attrs).toMatchObject({ role: 'img', 'aria-labelledby': 'c1-title c1-desc', viewBox: '0 0 640 260' });
    expect(elements.find((e) => e.attrs.id === 'c1-title')?.text).toBe('temperature at lyon-01');
    expect(elements.find((e) => e.attrs.id === 'c1-desc')?.text).toMatch(
      /^24 values from 2024-05-01 00:00:00 UTC to 2024-05-01 23:00:00 UTC, between 5\.\d+ °C and 14\.\d+ °C; latest \d+\.\d+ °C\.$/,
    );
  });

  it('draws value and time axes with round labels and the unit', () => {
    const texts = chart().filter((e) => e.tag === 'text').map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(['5', '7.5', '10', '12.5', '15', '°C', '00:00', '06:00', '12:00', '18:00', 'UTC']));
  });

  it('draws one line through every point and marks the latest one', () => {
    const elements = chart();
    const path = elements.find((e) => e.tag === 'path' && e.attrs.class === 'chart-line');
    expect(path?.attrs.d.match(/[ML]/g)).toHaveLength(24);
    expect(elements.filter((e) => e.attrs.class === 'chart-point')).toHaveLength(24);
    expect(elements.filter((e) => e.attrs.class === 'chart-latest')).toHaveLength(1);
  });

  it('draws a single value in the middle instead of dividing by zero', () => {
    const elements = chart({ points: [{ t: start, v: 3 }] });
    const d = elements.find((e) => e.attrs.class === 'chart-line')?.attrs.d ?? '';
    expect(d).toMatch(/^M[\d.]+,[\d.]+$/);
    expect(d).not.toContain('NaN');
  });

  it('says there is nothing to chart when there are no values', () => {
    const elements = chart({ points: [] });
    expect(elements.some((e) => e.tag === 'svg')).toBe(false);
    expect(elements.find((e) => e.attrs.class === 'chart-empty')?.text).toBe('No values to chart yet.');
  });

  it('uses no inline style, which the content security policy would block', () => {
    const html = renderToString(<LineChart id="c" title="x" points={points} unit="m" />);
    expect(html).not.toMatch(/style=/);
    expect(parse(html)).toBeDefined();
  });

  it('escapes a hostile title and unit', () => {
    const elements = chart({ title: HOSTILE[0], unit: HOSTILE[4] });
    expectNoInjectedMarkup(elements);
    expect(elements.filter((e) => e.tag === 'svg')).toHaveLength(1);
    expect(elements.find((e) => e.attrs.class === 'chart-unit')?.text).toBe(HOSTILE[4]);
  });
});
