import Router from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db';
import { AppError, notFound, validationFailed } from '../errors';
import type { WriteAudit } from '../http/observe';
import { parseJson, readText } from '../http/body';
import { httpDate } from '../http/http-date';
import { sendJson, setHeader } from '../http/json-response';
import { TextStream } from '../http/text-stream';
import { parseIdempotencyKey } from '../idempotency/header';
import { fingerprintOf, idempotent, type StoredResponse, transactionQueries } from '../idempotency/store';
import { decodeCursor, encodeCursor } from './cursor';
import { exportMeasurements } from './export';
import { importMeasurements } from './import';
import {
  etag, ifMatchVersions, ifNoneMatchVersions, noneMatch, parseTagCondition, preconditionRequired, versionConflict,
} from './preconditions';
import { plainInput } from './plain-row';
import { MeasurementRepository, type VersionCondition } from './repository';
import { exportQuery, idExists, issuesToDetails, listQuery, measurementId, measurementIdPattern, measurementInput } from './schemas';

export const measurementsPrefix = '/api/measurements';

export function parse<T extends z.ZodType>(schema: T, input: unknown, prefix?: string): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(issuesToDetails(result.error, prefix));
  return result.data;
}

/** A POST/PUT body: plain fields take the shortcut (plain-row.ts), the rest goes through zod. */
function measurementFrom(json: unknown) {
  return plainInput(json) ?? parse(measurementInput, json);
}

/** A request header, or undefined when absent: a header sent empty is a (malformed) value. */
function header(ctx: Context, name: string): string | undefined {
  const value = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

function idParam(ctx: Context): string {
  // /export and /import are routes of their own: another method there is 405, not a bad id.
  const fixed = ((ctx as { matched?: Array<{ paramNames: unknown[]; methods: string[] }> }).matched ?? []).filter((layer) => layer.paramNames.length === 0);
  if (fixed.length > 0) {
    ctx.set('Allow', [...new Set(fixed.flatMap((layer) => layer.methods))].filter((method) => method !== 'OPTIONS').join(', '));
    throw new AppError(405, 'method_not_allowed', `${ctx.method} is not allowed here; see the Allow header.`);
  }
  // measurementId is a string of this pattern and nothing more: a matching id needs no zod pass.
  const id = measurementIdPattern.test(ctx.params.id) ? ctx.params.id : parse(measurementId, ctx.params.id, 'id');
  if (!idExists(id)) throw notFound(`Measurement ${id} does not exist.`);
  return id;
}

/** If-Match and If-None-Match of a PUT or DELETE; 428 without If-Match (RFC 6585 section 3). */
function writeCondition(ctx: Context): VersionCondition {
  const ifMatch = parseTagCondition(header(ctx, 'If-Match'), 'If-Match');
  const ifNoneMatch = parseTagCondition(header(ctx, 'If-None-Match'), 'If-None-Match');
  // If-None-Match: * on an existing measurement fails whatever If-Match says (RFC 9110 13.1.2).
  if (!ifMatch && !(ifNoneMatch?.any)) throw preconditionRequired(ctx.method);
  return { ifMatch: ifMatch ? ifMatchVersions(ifMatch) : null, ifNoneMatch: ifNoneMatch ? ifNoneMatchVersions(ifNoneMatch) : [] };
}

/** The caller's subject: the author of a change (the auth middleware lets no anonymous write through). */
function author(ctx: Context): string {
  const subject = ctx.state.principal?.subject;
  if (subject === undefined) throw new Error('a write reached its route without a verified token');
  return subject;
}

/** What a write did, for its one log line (observe.ts): never the body, never the token. */
function audit(ctx: Context, entry: WriteAudit): void {
  ctx.state.audit = entry;
}

function respond(ctx: Context, response: StoredResponse): void {
  ctx.status = response.status;
  for (const [name, value] of Object.entries(response.headers)) setHeader(ctx, name, value);
  sendJson(ctx, response.body as object);
}

export function measurementsRouter(deps: { config: Config; db: Db }): Router {
  const repository = new MeasurementRepository(deps.db);
  const router = new Router({ prefix: measurementsPrefix });
  const jsonLimit = deps.config.jsonBodyLimitBytes;

  // The first page without filters, what most list requests ask for, skips zod and Koa's
  // query-string parsing: its parse was done once, here.
  const noQuery = Object.freeze(parse(listQuery, {}));
  router.get('/', async (ctx) => {
    const query = ctx.querystring === '' ? noQuery : parse(listQuery, ctx.query);
    const order = query.order ?? 'desc';
    const limit = query.limit ?? 50;
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, order);
    const page = await repository.list(query, order, limit, after);
    const last = page.items[page.items.length - 1];
    sendJson(ctx, {
      items: page.items,
      nextCursor: page.more && last ? encodeCursor(order, last.recordedAt, last.id) : null,
    });
  });

  router.post('/', async (ctx) => {
    const key = parseIdempotencyKey(header(ctx, 'Idempotency-Key'));
    const payload = await readText(ctx, 'application/json', jsonLimit);
    const input = measurementFrom(parseJson(payload));
    const by = author(ctx);
    // A key is the caller's own: the same key from another subject is another request.
    const response = await idempotent(deps.db, { key, scope: `POST /api/measurements by ${by}`, fingerprint: () => fingerprintOf(payload) }, async (transaction) => {
      const created = await (transaction ? new MeasurementRepository(transactionQueries(transaction)) : repository).create(input, by);
      audit(ctx, { action: 'create', measurementId: created.id });
      return { status: 201, headers: { Location: `${measurementsPrefix}/${created.id}`, ETag: etag(created.version) }, body: created };
    });
    respond(ctx, response);
  });

  router.post('/import', async (ctx) => {
    const key = parseIdempotencyKey(header(ctx, 'Idempotency-Key'));
    const by = author(ctx);
    const body = new TextStream(ctx, 'text/csv', deps.config.csvBodyLimitBytes, { invalidEncodingStatus: 422, fingerprint: key !== undefined });
    // A key is the caller's own: the same key from another subject is another request.
    const scope = `POST /api/measurements/import by ${by}`;
    try {
      const response = await idempotent(deps.db, { key, scope, fingerprint: () => body.fingerprint() }, async (transaction) => {
        const imported = await importMeasurements(deps.db, body, by, transaction);
        audit(ctx, { action: 'import', imported });
        return { status: 201, headers: {}, body: { imported } };
      });
      respond(ctx, response);
    } catch (error) {
      // A bad body is reported before anything else (an outage, a key in flight), as when the
      // body was read before the database was asked.
      await body.rest();
      throw error;
    }
  });

  router.get('/export', async (ctx) => {
    const filters = parse(exportQuery, ctx.query);
    const stream = await exportMeasurements(deps.db, filters);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', 'attachment; filename="measurements.csv"');
    ctx.body = stream;
  });

  // /:id also matches these two paths, so allowedMethods() would list the id routes' methods
  // for OPTIONS on them: answer it here with exactly theirs.
  for (const [path, allow] of [['/export', 'GET, HEAD'], ['/import', 'POST']]) {
    router.options(path, (ctx) => {
      ctx.set('Allow', allow);
      ctx.status = 204;
    });
  }

  router.get('/:id', async (ctx) => {
    const id = idParam(ctx);
    const found = await repository.findById(id);
    if (!found) throw notFound(`Measurement ${id} does not exist.`);
    const ifNoneMatch = parseTagCondition(header(ctx, 'If-None-Match'), 'If-None-Match');
    setHeader(ctx, 'ETag', etag(found.version));
    setHeader(ctx, 'Last-Modified', httpDate(found.updatedAt));
    // Clients keep a copy but ask each time: the ETag makes the question cheap (304).
    setHeader(ctx, 'Cache-Control', 'no-cache');
    if (ifNoneMatch && !noneMatch(ifNoneMatch, found.version)) {
      ctx.status = 304;
      return;
    }
    sendJson(ctx, found);
  });

  router.put('/:id', async (ctx) => {
    const id = idParam(ctx);
    const condition = writeCondition(ctx);
    const input = measurementFrom(parseJson(await readText(ctx, 'application/json', jsonLimit)));
    const result = await repository.update(id, input, condition, author(ctx));
    if (result.outcome === 'missing') throw notFound(`Measurement ${id} does not exist.`);
    if (result.outcome === 'stale') throw versionConflict(result.version);
    audit(ctx, { action: 'update', measurementId: id, version: result.measurement.version });
    setHeader(ctx, 'ETag', etag(result.measurement.version));
    sendJson(ctx, result.measurement);
  });

  router.delete('/:id', async (ctx) => {
    const id = idParam(ctx);
    const result = await repository.delete(id, writeCondition(ctx));
    if (result.outcome === 'missing') throw notFound(`Measurement ${id} does not exist.`);
    if (result.outcome === 'stale') throw versionConflict(result.version);
    audit(ctx, { action: 'delete', measurementId: id });
    ctx.status = 204;
  });

  return router;
}
