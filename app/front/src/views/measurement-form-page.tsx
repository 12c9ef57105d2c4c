import type { Measurement } from '../api/types';
import { FIELD_LIMITS } from './field-limits';
import { CsrfField, ErrorSummary, type FormErrors, NO_ERRORS, TextField } from './form-fields';
import { formatAuthor, formatTime, formatValue, fromDateTimeLocal, toDateTimeLocal } from './format';
import { Layout, type PageContext } from './layout';

/** What the user typed, as text (datetime-local in UTC for recordedAt). */
export interface MeasurementFormValues {
  readonly station: string;
  readonly kind: string;
  readonly value: string;
  readonly unit: string;
  readonly recordedAt: string;
}

export const MEASUREMENT_FIELDS = ['station', 'kind', 'value', 'unit', 'recordedAt'] as const;

export const FIELD_LABELS: Readonly<Record<string, string>> = {
  station: 'Station',
  kind: 'Kind',
  value: 'Value',
  unit: 'Unit',
  recordedAt: 'Recorded at (UTC)',
};

export const EMPTY_VALUES: MeasurementFormValues = { station: '', kind: '', value: '', unit: '', recordedAt: '' };

export function valuesOf(m: Measurement): MeasurementFormValues {
  return {
    station: m.station,
    kind: m.kind,
    // String() is the shortest text that parses back to the same double: an untouched value
    // is written back exactly.
    value: String(m.value),
    unit: m.unit ?? '',
    recordedAt: toDateTimeLocal(m.recordedAt),
  };
}

export interface MeasurementFormPageProps {
  readonly page: PageContext;
  readonly values: MeasurementFormValues;
  readonly errors?: FormErrors;
  /** Present when editing: the id and the version the form was loaded at. */
  readonly edit?: { readonly id: string; readonly version: number };
  /** Present after a 412: what is stored now, which the user's save would have overwritten. */
  readonly conflict?: Measurement;
  /** Sent as Idempotency-Key when adding: posting this form again cannot add a second row. */
  readonly idempotencyKey?: string;
  /** When editing: the stored row, whose authors the page shows. */
  readonly stored?: Measurement;
}

export function MeasurementFormPage(props: MeasurementFormPageProps) {
  const { values, edit, conflict } = props;
  const errors = props.errors ?? NO_ERRORS;
  const title = edit ? `Edit measurement ${edit.id}` : 'Add a measurement';
  const action = edit ? `/measurements/${encodeURIComponent(edit.id)}/edit` : '/measurements';
  return (
    <Layout page={props.page} title={title} section="measurements">
      <p class="breadcrumb">
        <a href="/measurements">Measurements</a>
      </p>
      <h1>{title}</h1>
      {props.stored ? (
        <dl class="summary authors">
          <div><dt>Added by</dt><dd>{formatAuthor(props.stored.createdBy)}</dd></div>
          <div><dt>Last changed by</dt><dd>{formatAuthor(props.stored.updatedBy)} at {formatTime(props.stored.updatedAt)}</dd></div>
        </dl>
      ) : null}
      {conflict ? <ConflictNotice yours={values} current={conflict} /> : null}
      <ErrorSummary errors={errors} labels={FIELD_LABELS} />
      <form method="post" action={action} class="stacked-form" noValidate>
        <CsrfField token={props.page.csrfToken} />
        {edit ? <input type="hidden" name="version" value={String(edit.version)} /> : null}
        {props.idempotencyKey ? <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} /> : null}
        <TextField name="station" label="Station" value={values.station} errors={errors.byField.station} required
          maxLength={FIELD_LIMITS.station} hint="Identifier of the measuring station, e.g. lyon-01." />
        <TextField name="kind" label="Kind" value={values.kind} errors={errors.byField.kind} required maxLength={FIELD_LIMITS.kind}
          hint="What is measured, e.g. temperature or pm25." />
        <TextField name="value" label="Value" value={values.value} errors={errors.byField.value} required inputMode="decimal"
          hint="A number with a decimal point and no thousands separators, e.g. 21.5 or 1234." />
        <TextField name="unit" label="Unit" value={values.unit} errors={errors.byField.unit} maxLength={FIELD_LIMITS.unit}
          hint="e.g. °C, µg/m³." />
        <TextField name="recordedAt" label="Recorded at (UTC)" type="datetime-local" value={values.recordedAt}
          errors={errors.byField.recordedAt} hint={edit ? undefined : 'Leave empty to use the current time.'} />
        <div class="actions">
          <button type="submit" class="button button-primary">{edit ? (conflict ? 'Save my version anyway' : 'Save changes') : 'Add measurement'}</button>
          <a class="button" href="/measurements">Cancel</a>
        </div>
      </form>
    </Layout>
  );
}

function ConflictNotice({ yours, current }: { yours: MeasurementFormValues; current: Measurement }) {
  // The browser sends a datetime-local value without trailing zeros (12:00:00.4 for
  // 12:00:00.400): the time differs only if the instants do.
  const sameTime = toDateTimeLocal(fromDateTimeLocal(yours.recordedAt)) === toDateTimeLocal(current.recordedAt);
  const rows: Array<[string, string, string, boolean]> = [
    ['Station', yours.station, current.station, yours.station === current.station],
    ['Kind', yours.kind, current.kind, yours.kind === current.kind],
    ['Value', yours.value, String(current.value), yours.value === String(current.value)],
    ['Unit', yours.unit, current.unit ?? '', yours.unit === (current.unit ?? '')],
    ['Recorded at (UTC)', localToText(yours.recordedAt), localToText(toDateTimeLocal(current.recordedAt)), sameTime],
  ];
  return (
    <section class="notice notice-warning" role="alert" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Someone else changed this measurement</h2>
      <p>
        It was updated at {formatTime(current.updatedAt)} (now version {current.version}) after you opened this form.
        Your changes were <strong>not saved</strong>. Compare below, then save your version again or{' '}
        <a href={`/measurements/${encodeURIComponent(current.id)}/edit`}>start over from the current values</a>.
      </p>
      <table class="compare">
        <caption class="visually-hidden">Your values compared with the stored ones</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Your value</th>
            <th scope="col">Stored now ({formatValue(current.value, current.unit)})</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, mine, theirs, same]) => (
            <tr key={label} class={same ? undefined : 'differs'}>
              <th scope="row">{label}</th>
              <td>{mine}</td>
              <td>{theirs}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** "2024-05-01 10:00:00 UTC" from a datetime-local value, seconds added when the browser left them out. */
function localToText(local: string): string {
  if (!local) return '';
  const withSeconds = /T\d{2}:\d{2}$/.test(local) ? `${local}:00` : local;
  return `${withSeconds.replace('T', ' ')} UTC`;
}
