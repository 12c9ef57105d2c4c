import { expectNoInjectedMarkup, HOSTILE, measurement, PAGE, renderElements, textOf } from '../../test/support/html';
import { toFormErrors } from './form-fields';
import { EMPTY_VALUES, MEASUREMENT_FIELDS, MeasurementFormPage, valuesOf } from './measurement-form-page';

describe('MeasurementFormPage', () => {
  it('posts a new measurement to /measurements with the CSRF token and labelled fields', () => {
    const { elements } = renderElements(<MeasurementFormPage page={PAGE} values={EMPTY_VALUES} />);
    const form = elements.find((e) => e.tag === 'form' && e.attrs.action !== '/auth/sign-out');
    expect(form?.attrs).toMatchObject({ method: 'post', action: '/measurements' });
    expect(elements.find((e) => e.attrs.name === '_csrf')?.attrs.value).toBe('test-csrf-token');
    const labelled = elements.filter((e) => e.tag === 'label').map((e) => e.attrs.for);
    const inputs = elements.filter((e) => e.tag === 'input' && e.attrs.type !== 'hidden').map((e) => e.attrs.id);
    expect(labelled).toEqual(inputs);
    expect(inputs).toEqual(MEASUREMENT_FIELDS.map((f) => `field-${f}`));
  });

  it('edits through /measurements/:id/edit carrying the version it was loaded at, with times in UTC', () => {
    const m = measurement();
    const { elements } = renderElements(<MeasurementFormPage page={PAGE} values={valuesOf(m)} edit={{ id: m.id, version: m.version }} />);
    expect(elements.find((e) => e.tag === 'form' && e.attrs.action !== '/auth/sign-out')?.attrs.action).toBe('/measurements/42/edit');
    expect(elements.find((e) => e.attrs.name === 'version')?.attrs.value).toBe('3');
    expect(elements.find((e) => e.attrs.name === 'recordedAt')?.attrs.value).toBe('2024-05-01T10:00:00');
  });

  it('shows the API\'s field errors next to their fields, linked from a summary and announced to assistive tech', () => {
    const errors = toFormErrors(
      [{ field: 'station', message: 'Required' }, { field: 'value', message: 'Expected a number' }, { message: 'Whole-form problem' }],
      MEASUREMENT_FIELDS,
    );
    const { elements } = renderElements(<MeasurementFormPage page={PAGE} values={EMPTY_VALUES} errors={errors} />);
    const station = elements.find((e) => e.attrs.id === 'field-station');
    expect(station?.attrs['aria-invalid']).toBe('true');
    expect(station?.attrs['aria-describedby']).toContain('field-station-error');
    expect(elements.find((e) => e.attrs.id === 'field-station-error')?.text).toBe('Required');
    expect(elements.find((e) => e.attrs.id === 'field-value-error')?.text).toBe('Expected a number');
    expect(elements.find((e) => e.attrs.id === 'field-kind')?.attrs['aria-invalid']).toBeUndefined();
    const summary = elements.find((e) => e.attrs.class === 'error-summary');
    expect(summary?.attrs.role).toBe('alert');
    expect(summary?.text).toContain('Whole-form problem');
    expect(elements.filter((e) => e.tag === 'a' && e.attrs.href?.startsWith('#field-')).map((e) => e.attrs.href)).toEqual([
      '#field-station',
      '#field-value',
    ]);
  });

  it('explains a version conflict, shows both versions and moves the form to the stored version', () => {
    const stored = measurement({ value: 30, version: 4, updatedAt: '2024-05-02T08:00:00.000Z' });
    const mine = { ...valuesOf(measurement()), value: '25' };
    const { elements } = renderElements(
      <MeasurementFormPage page={PAGE} values={mine} edit={{ id: '42', version: 4 }} conflict={stored} />,
    );
    const text = textOf(elements);
    expect(text).toContain('Someone else changed this measurement');
    expect(text).toContain('now version 4');
    expect(text).toContain('not saved');
    const differing = elements.filter((e) => e.tag === 'tr' && e.attrs.class === 'differs').map((e) => e.text);
    expect(differing).toEqual(['Value2530']);
    expect(elements.find((e) => e.attrs.name === 'value')?.attrs.value).toBe('25');
    expect(elements.find((e) => e.attrs.name === 'version')?.attrs.value).toBe('4');
  });

  it('does not mark the time as changed when the browser sent it without trailing zeros', () => {
    // Chromium's datetime-local value for 10:00:00.400 is "10:00:00.4".
    const stored = measurement({ recordedAt: '2024-05-01T10:00:00.400Z', value: 30, version: 4 });
    const mine = { ...valuesOf(stored), value: '25', recordedAt: '2024-05-01T10:00:00.4' };
    const { elements } = renderElements(<MeasurementFormPage page={PAGE} values={mine} edit={{ id: '42', version: 4 }} conflict={stored} />);
    expect(elements.filter((e) => e.tag === 'tr' && e.attrs.class === 'differs').map((e) => e.text)).toEqual(['Value2530']);
    const moved = { ...mine, recordedAt: '2024-05-01T10:00:00.5' };
    const other = renderElements(<MeasurementFormPage page={PAGE} values={moved} edit={{ id: '42', version: 4 }} conflict={stored} />);
    expect(other.elements.filter((e) => e.tag === 'tr' && e.attrs.class === 'differs').map((e) => e.text)[1]).toMatch(/^Recorded at/);
  });

  it('escapes hostile values in inputs, errors and the conflict table', () => {
    const hostile = { station: HOSTILE[0], kind: HOSTILE[1], value: HOSTILE[2], unit: HOSTILE[3], recordedAt: HOSTILE[4] };
    const errors = toFormErrors(HOSTILE.map((message) => ({ field: 'station', message })), MEASUREMENT_FIELDS);
    const { elements } = renderElements(
      <MeasurementFormPage page={PAGE} values={hostile} errors={errors} edit={{ id: '1', version: 1 }}
        conflict={measurement({ station: HOSTILE[1], unit: HOSTILE[0] })} />,
    );
    expectNoInjectedMarkup(elements);
    expect(elements.find((e) => e.attrs.name === 'station')?.attrs.value).toBe(HOSTILE[0]);
    expect(elements.find((e) => e.attrs.name === 'unit')?.attrs.value).toBe(HOSTILE[3]);
  });
});
