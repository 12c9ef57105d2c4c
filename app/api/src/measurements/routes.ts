import Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db';
import { AppError, notFound, validationFailed } from '../errors';
import { readJson, readText } from '../http/body';
import { decodeCursor, encodeCursor } from './cursor';
import { exportMeasurements } from './export';
import { importMeasurements } from './import';
import { etag, parseIfMatch, versionConflict } from './preconditions';
import { MeasurementRepository } from './repository';
import { exportQuery, idExists, issuesToDetails, listQuery, measurementId, measurementInput } from './schemas';

export const measurementsPrefix = '/api/measurements';

export function parse<T extends z.ZodType>(schema: T, input: unknown, prefix?: string): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(issuesToDetails(result.error, prefix));
  return result.data;
}

function idParam(ctx: Context): string {
  const id = parse(measurementId, ctx.params.id, 'id');
  if (!idExists(id)) throw notFound(`Measurement ${id} does not exist.`);
  return id;
}

export function measurementsRouter(deps: { config: Config; db: Db }): Router {
  const repository = new MeasurementRepository(deps.db);
  const router = new Router({ prefix: measurementsPrefix });
  const jsonLimit = deps.config.jsonBodyLimitBytes;

  router.get('/', async (ctx) => {
    const query = parse(listQuery, ctx.query);
    const order = query.order ?? 'desc';
    const limit = query.limit ?? 50;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, order);
    const page = await repository.list(query, order, limit, after);
    const last = page.items[page.items.length - 1];
    ctx.body = {
      items: page.items,
      nextCursor: page.more && last ? encodeCursor({ order, recordedAt: new Date(last.recordedAt), id: last.id }) : null,
    };
  });

  router.post('/', async (ctx) => {
    const input = parse(measurementInput, await readJson(ctx, jsonLimit));
    const created = await repository.create(input);
    ctx.status = 201;
    ctx.set('Location', `${measurementsPrefix}/${created.id}`);
    ctx.set('ETag', etag(created.version));
    ctx.body = created;
  });

  router.post('/import', async (ctx) => {
    const csv = await readText(ctx, 'text/csv', deps.config.csvBodyLimitBytes);
    const imported = await importMeasurements(deps.db, csv);
    ctx.status = 201;
    ctx.body = { imported };
  });

  router.get('/export', async (ctx) => {
    const filters = parse(exportQuery, ctx.query);
    const stream = await exportMeasurements(deps.db, filters);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', 'attachment; filename="measurements.csv"');
    ctx.body = stream;
  });

  router.get('/:id', async (ctx) => {
    const id = idParam(ctx);
    const found = await repository.findById(id);
    if (!found) throw notFound(`Measurement ${id} does not exist.`);
    ctx.set('ETag', etag(found.version));
    ctx.body = found;
  });

  router.put('/:id', async (ctx) => {
    const id = idParam(ctx);
    const expected = parseIfMatch(ctx.get('If-Match') || undefined);
    if (expected === undefined) {
      throw new AppError(428, 'precondition_required', 'Send If-Match with the ETag from GET so concurrent edits are not lost.');
    }
    const input = parse(measurementInput, await readJson(ctx, jsonLimit));
    const result = await repository.update(id, input, expected);
    if (result.outcome === 'missing') throw notFound(`Measurement ${id} does not exist.`);
    if (result.outcome === 'stale') throw versionConflict(result.version);
    ctx.set('ETag', etag(result.measurement.version));
    ctx.body = result.measurement;
  });

  router.delete('/:id', async (ctx) => {
    const id = idParam(ctx);
    const expected = parseIfMatch(ctx.get('If-Match') || undefined) ?? null;
    const result = await repository.delete(id, expected);
    if (result.outcome === 'missing') throw notFound(`Measurement ${id} does not exist.`);
    if (result.outcome === 'stale') throw versionConflict(result.version);
    ctx.status = 204;
  });

  return router;
}
