import { expectNoInjectedMarkup, HOSTILE, measurement, PAGE, renderElements, textOf } from '../../test/support/html';
import { toFormErrors } from './form-fields';
import { type FilterValues, measurementsHref, MeasurementsPage } from './measurements-page';

const NO_FILTER: FilterValues = { station: '', kind: '', from: '', to: '' };

describe('MeasurementsPage', () => {
  it('lists each measurement with its time in UTC, value and unit, and links to edit and delete it', () => {
    const { elements } = renderElements(
      <MeasurementsPage page={PAGE} filter={NO_FILTER} order="desc" items={[measurement()]} nextCursor={null} />,
    );
    const cells = elements.filter((e) => e.tag === 'td').map((e) => e.text);
    expect(cells.slice(0, 5)).toEqual(['2024-05-01 10:00:00 UTC', 'lyon-01', 'temperature', '21.5', '°C']);
    const hrefs = elements.filter((e) => e.tag === 'a').map((e) => e.attrs.href);
    expect(hrefs).toEqual(expect.arrayContaining(['/measurements/42/edit', '/measurements/42/delete']));
  });

  it('escapes hostile station, kind, unit and filter values so they show as text and create no markup', () => {
    const items = HOSTILE.map((s, i) => measurement({ id: String(i + 1), station: s, kind: s, unit: s }));
    const filter = { station: HOSTILE[1], kind: HOSTILE[2], from: HOSTILE[0], to: HOSTILE[3] };
    const errors = toFormErrors([{ field: 'station', message: HOSTILE[0] }], ['station'], undefined);
    const { elements } = renderElements(
      <MeasurementsPage page={PAGE} filter={filter} order="desc" items={items} nextCursor={HOSTILE[1]} errors={errors} notice={HOSTILE[4]} />,
    );
    expectNoInjectedMarkup(elements);
    const text = textOf(elements);
    for (const s of HOSTILE) expect(text).toContain(s);
    expect(elements.find((e) => e.attrs.id === 'filter-station')?.attrs.value).toBe(HOSTILE[1]);
  });

  it('marks the time column as sorted and links to the opposite order, keeping the filter', () => {
    const filter = { ...NO_FILTER, station: 'a b' };
    const { elements } = renderElements(
      <MeasurementsPage page={PAGE} filter={filter} order="desc" items={[measurement()]} nextCursor={null} />,
    );
    const sorted = elements.find((e) => e.tag === 'th' && e.attrs['aria-sort']);
    expect(sorted?.attrs['aria-sort']).toBe('descending');
    expect(elements.some((e) => e.tag === 'a' && e.attrs.href === '/measurements?station=a+b&order=asc')).toBe(true);
  });

  it('offers the next page through the cursor, and the first page once paging', () => {
    const { elements } = renderElements(
      <MeasurementsPage page={PAGE} filter={NO_FILTER} order="asc" cursor="c1" items={[measurement()]} nextCursor="c2" />,
    );
    const pagination = elements.filter((e) => e.tag === 'a' && /Next page|First page/.test(e.text));
    expect(pagination.map((e) => e.attrs.href)).toEqual(['/measurements?order=asc', '/measurements?order=asc&cursor=c2']);
  });

  it('links the CSV export to the current filter', () => {
    const filter = { station: 'lyon-01', kind: 'pm25', from: '2024-05-01T00:00', to: '' };
    const { elements } = renderElements(<MeasurementsPage page={PAGE} filter={filter} order="desc" items={[]} nextCursor={null} />);
    const exportLink = elements.find((e) => e.tag === 'a' && e.text.startsWith('Export CSV'));
    expect(exportLink?.attrs.href).toBe('/measurements/export.csv?station=lyon-01&kind=pm25&from=2024-05-01T00%3A00');
    expect(exportLink?.text).toBe('Export CSV (filtered)');
  });

  it('says when nothing matches the filter instead of showing an empty table', () => {
    const { elements } = renderElements(
      <MeasurementsPage page={PAGE} filter={{ ...NO_FILTER, kind: 'x' }} order="desc" items={[]} nextCursor={null} />,
    );
    expect(elements.some((e) => e.tag === 'table')).toBe(false);
    expect(textOf(elements)).toContain('No measurements match these filters.');
  });

  it('shows the footer with environment, versions and API health', () => {
    const { elements } = renderElements(<MeasurementsPage page={PAGE} filter={NO_FILTER} order="desc" items={[]} nextCursor={null} />);
    const footer = elements.find((e) => e.tag === 'footer')?.text ?? '';
    expect(footer).toContain('test');
    expect(footer).toContain('front-1.0.0');
    expect(footer).toContain('api-2.0.0');
    expect(footer).toContain('API healthy');
  });

  it('builds links without empty parameters', () => {
    expect(measurementsHref('/measurements', NO_FILTER)).toBe('/measurements');
    expect(measurementsHref('/measurements', { ...NO_FILTER, kind: 'a&b' }, { cursor: undefined })).toBe('/measurements?kind=a%26b');
  });
});
