// Display helpers shared by the views: times are shown and entered in UTC, so that every
// operator sees the same clock whatever their browser's zone.

/** "2024-05-01 10:00:00 UTC" from an ISO-8601 instant. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Value of an <input type="datetime-local"> (UTC) for an ISO instant: "2024-05-01T10:00:00". */
export function toDateTimeLocal(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toISOString().slice(0, 19);
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
 * "1,234.5" — grouping for readability; by default up to 6 decimals so no stored precision is
 * hidden in practice (derived figures such as averages ask for fewer).
 */
export function formatNumber(value: number, maxDecimals = 6): string {
  let format = formats.get(maxDecimals);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { maximumFractionDigits: maxDecimals });
    formats.set(maxDecimals, format);
  }
  return format.format(value);
}

/** "21.5 °C", or the bare number when the measurement has no unit. */
export function formatValue(value: number, unit: string | null | undefined): string {
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}
