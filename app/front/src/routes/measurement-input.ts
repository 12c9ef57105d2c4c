import type { MeasurementInput } from '../api/types';
import { fromDateTimeLocal } from '../views/format';
import type { MeasurementFormValues } from '../views/measurement-form-page';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The form's text values read from a posted form (missing fields read as empty). */
export function readValues(fields: ReadonlyMap<string, string>): MeasurementFormValues {
  const get = (name: string) => fields.get(name) ?? '';
  return { station: get('station'), kind: get('kind'), value: get('value'), unit: get('unit'), recordedAt: get('recordedAt') };
}

/**
 * True when `value` is a plain decimal number with a decimal point. A comma is refused: "1,234"
 * is a thousand and something in one convention and one point something in another, and the
 * pages display numbers without grouping, so there is nothing to guess.
 */
export function isNumeric(value: string): boolean {
  return NUMBER.test(value.trim());
}

/** Our own wording for a value that is not such a number. */
export function numberMessage(value: string): string {
  return value.includes(',')
    ? 'Use a decimal point and no thousands separators, e.g. 1234.5 (a comma is ambiguous).'
    : 'Enter a number, for example 21.5 or -3.';
}

/**
 * The API body for the form's values. Text is trimmed; a value that is not a number is sent
 * as typed so that the API reports it along with every other field in one answer.
 */
export function toInput(values: MeasurementFormValues): MeasurementInput {
  const value = values.value.trim();
  const unit = values.unit.trim();
  const recordedAt = values.recordedAt.trim();
  return {
    station: values.station.trim(),
    kind: values.kind.trim(),
    value: isNumeric(value) ? Number(value) : value,
    ...(unit ? { unit } : {}),
    ...(recordedAt ? { recordedAt: fromDateTimeLocal(recordedAt) } : {}),
  };
}
