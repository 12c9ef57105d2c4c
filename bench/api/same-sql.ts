// The queries and JSON shape bare.ts and koa-floor.ts serve: the API's exact column list
// (timestamps formatted by PostgreSQL) and statements, so every server runs the same SQL and
// serializes the same values (the authors too). Named statements, prepared once per
// connection, as the API's. A POST records BENCH_SUBJECT as its author, as the API records the
// subject of the benchmark's token.
import pg from 'pg';
import { columns } from '../../app/api/src/measurements/repository';

export const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 10) });

type Row = Record<string, unknown> & { recorded_at: string; created_at: string; updated_at: string; created_by: string | null; updated_by: string | null };

const subject = process.env.BENCH_SUBJECT ?? 'station-uploader';

export const toJson = (r: Row) => ({
  id: r.id,
  station: r.station,
  kind: r.kind,
  value: r.value,
  unit: r.unit,
  recordedAt: r.recorded_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
  createdBy: r.created_by,
  updatedBy: r.updated_by,
});

export async function byId(id: string) {
  const { rows } = await pool.query<Row>({ name: 'by_id', text: `SELECT ${columns} FROM measurements WHERE id = $1`, values: [id] });
  return rows[0] ? toJson(rows[0]) : undefined;
}

export async function firstPage() {
  const { rows } = await pool.query<Row>({ name: 'list', text: `SELECT ${columns} FROM measurements ORDER BY measurements.recorded_at DESC, measurements.id DESC LIMIT $1`, values: [51] });
  return { items: rows.slice(0, 50).map(toJson), nextCursor: rows.length > 50 ? 'x' : null };
}

export async function insert(text: string) {
  const b = JSON.parse(text) as { station: string; kind: string; value: number; unit?: string; recordedAt?: string };
  const { rows } = await pool.query<Row>({
    name: 'insert',
    text: `INSERT INTO measurements (station, kind, value, unit, recorded_at, created_by, updated_by)
           VALUES ($1, $2, $3, $4, COALESCE($5, date_trunc('milliseconds', now())), $6, $6)
           RETURNING ${columns}`,
    values: [b.station, b.kind, b.value, b.unit ?? null, b.recordedAt ?? null, subject],
  });
  return toJson(rows[0]);
}
