// Deterministic demo measurements: a few stations, three kinds each, hourly values for the
// last days with daily cycles and a little noise, as the API's import CSV.

export const CSV_HEADER = 'station,kind,value,unit,recordedAt';

const STATIONS = ['lyon-centre', 'lyon-gerland', 'grenoble-nord', 'annecy-lac'];
const KINDS = [
  { kind: 'temperature', unit: '°C', base: 14, swing: 6, noise: 0.8, digits: 1 },
  { kind: 'humidity', unit: '%', base: 62, swing: -15, noise: 3, digits: 0 },
  { kind: 'pm25', unit: 'µg/m³', base: 11, swing: 5, noise: 2.5, digits: 1 },
];

/** A small seeded generator (mulberry32), so every run produces the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CSV lines (header first) for `hours` hourly values per station and kind, ending at `end`. */
export function demoCsv(end: Date, hours = 72): string {
  const next = random(42);
  const last = Math.floor(end.getTime() / 3_600_000) * 3_600_000;
  const lines = [CSV_HEADER];
  STATIONS.forEach((station, s) => {
    for (const k of KINDS) {
      for (let h = hours - 1; h >= 0; h--) {
        const t = last - h * 3_600_000;
        const hourOfDay = new Date(t).getUTCHours();
        const daily = Math.sin(((hourOfDay - 9) / 24) * 2 * Math.PI);
        const value = k.base + s * 0.7 + k.swing * daily + (next() - 0.5) * 2 * k.noise;
        lines.push(`${station},${k.kind},${Math.max(0, value).toFixed(k.digits)},${k.unit},${new Date(t).toISOString()}`);
      }
    }
  });
  return `${lines.join('\n')}\n`;
}
