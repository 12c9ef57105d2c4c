// The benchmark data set: `rows` measurements over 20 stations and two kinds, one per second
// back from now, then VACUUM ANALYZE so plans and visibility are settled before measuring.
import pg from 'pg';

export async function seedMeasurements(url: string, rows: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`INSERT INTO measurements (station, kind, value, unit, recorded_at)
      SELECT 'station-' || (i % 20), CASE WHEN i % 2 = 0 THEN 'temperature' ELSE 'pm25' END, random() * 40, 'u',
             date_trunc('milliseconds', now()) - (i || ' seconds')::interval
      FROM generate_series(1, ${Number(rows)}) AS i`);
    await client.query('VACUUM ANALYZE measurements');
  } finally {
    await client.end();
  }
}
