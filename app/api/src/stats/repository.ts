import type { Db } from '../db';

export interface StatsItem {
  station: string;
  kind: string;
  unit: string | null;
  count: number;
  min: number;
  max: number;
  avg: number;
  latest: { value: number; recordedAt: string };
}

interface Row {
  station: string;
  kind: string;
  unit: string | null;
  count: number;
  min: number;
  max: number;
  avg: number;
  latest_value: number;
  latest_recorded_at: Date;
}

/** Count/min/max/avg and the latest value per station, kind and unit. */
export async function readStats(db: Db, filters: { station?: string; kind?: string }): Promise<StatsItem[]> {
  const result = await db.query<Row>({
    name: 'stats',
    text: `SELECT s.station, s.kind, s.unit, s.count, s.min, s.max, s.avg,
                  l.value AS latest_value, l.recorded_at AS latest_recorded_at
           FROM (
             SELECT station, kind, unit, count(*)::float8 AS count, min(value) AS min,
                    max(value) AS max,
                    -- avg(float8) fails with "value out of range" when its sum overflows (1e308
                    -- twice) and when its sum of squares does (1e200 and -1e200). numeric sums
                    -- exactly and the mean of finite doubles fits a double. Scaling in float8
                    -- instead trips PostgreSQL's underflow errors on subnormal values.
                    avg(value::numeric)::float8 AS avg
             FROM measurements
             WHERE ($1::text IS NULL OR station = $1) AND ($2::text IS NULL OR kind = $2)
             GROUP BY station, kind, unit
           ) s
           CROSS JOIN LATERAL (
             SELECT value, recorded_at FROM measurements m
             WHERE m.station = s.station AND m.kind = s.kind AND m.unit IS NOT DISTINCT FROM s.unit
             ORDER BY recorded_at DESC, id DESC LIMIT 1
           ) l
           ORDER BY s.station, s.kind, s.unit NULLS FIRST`,
    values: [filters.station ?? null, filters.kind ?? null],
  });
  return result.rows.map((row) => ({
    station: row.station,
    kind: row.kind,
    unit: row.unit,
    count: row.count,
    min: row.min,
    max: row.max,
    avg: row.avg,
    latest: { value: row.latest_value, recordedAt: row.latest_recorded_at.toISOString() },
  }));
}
