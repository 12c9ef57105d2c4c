// SQL for measurements. Every statement is named (prepared once per connection); queries
// whose shape depends on the filters get one name per shape, so each keeps a good plan.
import type { Db } from '../db';
import type { Cursor } from './cursor';
import type { Filters, MeasurementInput } from './schemas';

export interface Measurement {
  id: string;
  station: string;
  kind: string;
  value: number;
  unit: string | null;
  recordedAt: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** `sub` of the token that created it; null for rows from before sign-in. */
  createdBy: string | null;
  /** `sub` of the token that last changed it (the creator until the first edit). */
  updatedBy: string | null;
}

interface Row {
  id: string;
  station: string;
  kind: string;
  value: number;
  unit: string | null;
  recorded_at: string;
  created_at: string;
  updated_at: string;
  version: number;
  created_by: string | null;
  updated_by: string | null;
}

// Timestamps leave PostgreSQL already in the API's format (toISOString's: UTC, milliseconds,
// Z). The columns hold millisecond precision (CHECK constraints) and recorded_at is limited
// to years 1900..9999, so the text is exactly what toISOString would print, without pg
// parsing three Dates per row and JS formatting them again.
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column}`;
// Output names equal the column names, and a bare ORDER BY name means the OUTPUT column (the
// text): always qualify ORDER BY columns as measurements.x, or the index is not used.
export const columns = `id, station, kind, value, unit, ${iso('recorded_at')}, ${iso('created_at')}, ${iso('updated_at')}, version, created_by, updated_by`;

export function toMeasurement(row: Row): Measurement {
  return {
    id: row.id,
    station: row.station,
    kind: row.kind,
    value: row.value,
    unit: row.unit,
    recordedAt: row.recorded_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
    createdBy: row.created_by,
    updatedBy: row.updated_by,
  };
}

/** If-Match / If-None-Match as versions (see preconditions.ts), checked by the write itself. */
export interface VersionCondition {
  /** Versions If-Match accepts; null for any (absent or `*`). */
  readonly ifMatch: readonly number[] | null;
  /** Versions If-None-Match refuses, or 'all' for `If-None-Match: *`. */
  readonly ifNoneMatch: readonly number[] | 'all';
}

const versionMatches = '($2::integer[] IS NULL OR version = ANY($2)) AND NOT $3::boolean AND NOT (version = ANY($4::integer[]))';
const conditionValues = (condition: VersionCondition) => [
  condition.ifMatch,
  condition.ifNoneMatch === 'all',
  condition.ifNoneMatch === 'all' ? [] : condition.ifNoneMatch,
];

export type UpdateResult = { outcome: 'updated'; measurement: Measurement } | { outcome: 'missing' } | { outcome: 'stale'; version: number };
export type DeleteResult = { outcome: 'deleted' } | { outcome: 'missing' } | { outcome: 'stale'; version: number };

export class MeasurementRepository {
  /** A Db, or one transaction's client wrapped as `{ query }` (idempotent creates). */
  constructor(private readonly db: Pick<Db, 'query'>) {}

  async findById(id: string): Promise<Measurement | undefined> {
    const result = await this.db.query<Row>({
      name: 'measurement_by_id',
      text: `SELECT ${columns} FROM measurements WHERE id = $1`,
      values: [id],
    });
    return result.rows[0] && toMeasurement(result.rows[0]);
  }

  /** `author`: the subject of the caller's token, stored as created_by and updated_by. */
  async create(input: MeasurementInput, author: string): Promise<Measurement> {
    const result = await this.db.query<Row>({
      name: 'measurement_insert',
      text: `INSERT INTO measurements (station, kind, value, unit, recorded_at, created_by, updated_by)
             VALUES ($1, $2, $3, $4, COALESCE($5, date_trunc('milliseconds', now())), $6, $6)
             RETURNING ${columns}`,
      values: [input.station, input.kind, input.value, input.unit ?? null, input.recordedAt ?? null, author],
    });
    return toMeasurement(result.rows[0]);
  }

  /** Replaces the fields if the stored version satisfies the preconditions (in the same statement). */
  async update(id: string, input: MeasurementInput, condition: VersionCondition, author: string): Promise<UpdateResult> {
    const result = await this.db.query<Row>({
      name: 'measurement_update',
      text: `UPDATE measurements
             SET station = $5, kind = $6, value = $7, unit = $8,
                 recorded_at = COALESCE($9, recorded_at),
                 updated_at = date_trunc('milliseconds', now()), version = version + 1, updated_by = $10
             WHERE id = $1 AND ${versionMatches}
             RETURNING ${columns}`,
      values: [id, ...conditionValues(condition), input.station, input.kind, input.value, input.unit ?? null, input.recordedAt ?? null, author],
    });
    if (result.rows[0]) return { outcome: 'updated', measurement: toMeasurement(result.rows[0]) };
    return this.whyNotChanged(id);
  }

  async delete(id: string, condition: VersionCondition): Promise<DeleteResult> {
    const result = await this.db.query({
      name: 'measurement_delete',
      text: `DELETE FROM measurements WHERE id = $1 AND ${versionMatches}`,
      values: [id, ...conditionValues(condition)],
    });
    if (result.rowCount) return { outcome: 'deleted' };
    return this.whyNotChanged(id);
  }

  private async whyNotChanged(id: string): Promise<{ outcome: 'missing' } | { outcome: 'stale'; version: number }> {
    const current = await this.db.query<{ version: number }>({
      name: 'measurement_version',
      text: 'SELECT version FROM measurements WHERE id = $1',
      values: [id],
    });
    return current.rows[0] ? { outcome: 'stale', version: current.rows[0].version } : { outcome: 'missing' };
  }

  /** One page in (recorded_at, id) order, reading one extra row to know if more follow. */
  async list(filters: Filters, order: 'asc' | 'desc', limit: number, after?: Cursor): Promise<{ items: Measurement[]; more: boolean }> {
    const where: string[] = [];
    const values: unknown[] = [];
    const shape: string[] = [order];
    const add = (tag: string, condition: (p: string) => string, value: unknown) => {
      values.push(value);
      where.push(condition(`$${values.length}`));
      shape.push(tag);
    };
    if (filters.station !== undefined) add('s', (p) => `station = ${p}`, filters.station);
    if (filters.kind !== undefined) add('k', (p) => `kind = ${p}`, filters.kind);
    if (filters.from !== undefined) add('f', (p) => `recorded_at >= ${p}`, filters.from);
    if (filters.to !== undefined) add('t', (p) => `recorded_at < ${p}`, filters.to);
    if (filters.unit === '') {
      where.push('unit IS NULL');
      shape.push('n');
    } else if (filters.unit !== undefined) add('u', (p) => `unit = ${p}`, filters.unit);
    if (after) {
      values.push(after.recordedAt, after.id);
      const [t, i] = [`$${values.length - 1}`, `$${values.length}`];
      where.push(`(recorded_at, id) ${order === 'desc' ? '<' : '>'} (${t}, ${i})`);
      shape.push('c');
    }
    values.push(limit + 1);
    const direction = order === 'desc' ? 'DESC' : 'ASC';
    const result = await this.db.query<Row>({
      name: `measurement_list_${shape.join('_')}`,
      text: `SELECT ${columns} FROM measurements
             ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
             ORDER BY measurements.recorded_at ${direction}, measurements.id ${direction}
             LIMIT $${values.length}`,
      values,
    });
    const more = result.rows.length > limit;
    return { items: (more ? result.rows.slice(0, limit) : result.rows).map(toMeasurement), more };
  }
}
