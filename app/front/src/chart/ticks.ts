// Axis ticks for the server-rendered charts: "nice" round numbers for values and calendar-
// aligned steps for time, so labels are short and easy to read.

/** About `count` round values (1, 2, 2.5 or 5 times a power of ten) covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return niceTicks(min - pad, max + pad, count);
  }
  const rough = (max - min) / Math.max(1, count - 1);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let i = 0; first + i * step <= last + step / 1e6; i++) {
    // Rounding keeps 0.1 + 0.2 style noise out of the labels.
    ticks.push(Number((first + i * step).toPrecision(12)));
  }
  return ticks;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEPS = [MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 365 * DAY];

/** Up to about `count` UTC instants on round steps within [start, end] (milliseconds since epoch). */
export function timeTicks(start: number, end: number, count = 5): number[] {
  if (!(end > start)) return [start];
  const rough = (end - start) / Math.max(1, count - 1);
  const step = STEPS.find((s) => s >= rough) ?? STEPS[STEPS.length - 1];
  const ticks: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) ticks.push(t);
  return ticks;
}

/** Short UTC label for a time tick, precise enough for the span shown. */
export function formatTimeTick(t: number, spanMs: number): string {
  const iso = new Date(t).toISOString();
  if (spanMs <= DAY) return iso.slice(11, 16);
  if (spanMs <= 7 * DAY) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  if (spanMs <= 366 * DAY) return iso.slice(5, 10);
  return iso.slice(0, 7);
}

/** Short value label: no trailing zeros, thousands as "k" above 10 000. */
export function formatValueTick(v: number): string {
  if (Math.abs(v) >= 10_000) return `${Number((v / 1000).toPrecision(4))}k`;
  return String(Number(v.toPrecision(6)));
}
