// Display helpers shared by the views: times are shown and entered in UTC, so that every
// operator sees the same clock whatever their browser's zone.

/** "2024-05-01 10:00:00 UTC" from an ISO-8601 instant. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * Value of an <input type="datetime-local"> (UTC) for an ISO instant: "2024-05-01T10:00:00",
 * with the milliseconds when there are any ("2024-05-01T10:00:00.123"), so a form that writes
 * the time back unchanged does not truncate it.
 */
export function toDateTimeLocal(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.getUTCMilliseconds() ? date.toISOString().slice(0, 23) : date.toISOString().slice(0, 19);
}

/**
 * ISO instant for the API from a datetime-local value read as UTC ("2024-05-01T10:00" ->
 * "2024-05-01T10:00:00Z"). Anything else is passed through untouched, so the API's validation
 * message reaches the user instead of the front guessing.
 */
export function fromDateTimeLocal(value: string): string {
  const trimmed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(trimmed)) return `${trimmed}:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(trimmed)) return `${trimmed}Z`;
  return trimmed;
}

const formats = new Map<number, Intl.NumberFormat>();

/**
 * A number as the form accepts it back: a decimal point, no thousands separators ("1234.5",
 * never "1,234.5", which the form refuses as ambiguous). Stored values are shown exactly (the
 * shortest text that reads back as the same double, e.g. 1e-7); derived figures such as
 * averages pass `maxDecimals`.
 */
export function formatNumber(value: number, maxDecimals?: number): string {
  if (maxDecimals === undefined) return Object.is(value, -0) ? '0' : String(value);
  let format = formats.get(maxDecimals);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: maxDecimals, useGrouping: false });
    formats.set(maxDecimals, format);
  }
  return format.format(value);
}

/** "21.5 °C", or the bare number when the measurement has no unit. */
export function formatValue(value: number, unit: string | null | undefined): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

/** Who wrote a row: its author's subject, or a note for rows written before sign-in existed. */
export function formatAuthor(subject: string | null | undefined): string {
  return subject ? subject : 'before sign-in';
}
