// The ceiling: node:http + pg doing the same queries as the API, with no framework,
// validation, logging or metrics. Started by run.ts as its own process.
import http from 'node:http';
import pg from 'pg';
// The API's exact column list (timestamps formatted by PostgreSQL), so both servers run the
// same SQL and serialize the same values.
import { columns } from '../../app/api/src/measurements/repository';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.PG_POOL_MAX ?? 10) });
type Row = Record<string, unknown> & { recorded_at: string; created_at: string; updated_at: string };
const toJson = (r: Row) => ({
  id: r.id,
  station: r.station,
  kind: r.kind,
  value: r.value,
  unit: r.unit,
  recordedAt: r.recorded_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer(async (req, res) => {
  try {
    const url = req.url ?? '/';
    if (req.method === 'GET' && url.startsWith('/api/measurements/')) {
      const { rows } = await pool.query({ name: 'by_id', text: `SELECT ${columns} FROM measurements WHERE id = $1`, values: [url.slice(18)] });
      return rows[0] ? send(res, 200, toJson(rows[0])) : send(res, 404, { error: 'not found' });
    }
    if (req.method === 'GET' && url.startsWith('/api/measurements')) {
      const { rows } = await pool.query({ name: 'list', text: `SELECT ${columns} FROM measurements ORDER BY measurements.recorded_at DESC, measurements.id DESC LIMIT $1`, values: [51] });
      return send(res, 200, { items: rows.slice(0, 50).map(toJson), nextCursor: rows.length > 50 ? 'x' : null });
    }
    if (req.method === 'POST' && url === '/api/measurements') {
      let text = '';
      for await (const chunk of req) text += chunk;
      const b = JSON.parse(text);
      const { rows } = await pool.query({
        name: 'insert',
        text: `INSERT INTO measurements (station, kind, value, unit, recorded_at) VALUES ($1, $2, $3, $4, COALESCE($5, date_trunc('milliseconds', now()))) RETURNING ${columns}`,
        values: [b.station, b.kind, b.value, b.unit ?? null, b.recordedAt ?? null],
      });
      return send(res, 201, toJson(rows[0]));
    }
    send(res, 404, { error: 'not found' });
  } catch (error) {
    send(res, 500, { error: String(error) });
  }
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
