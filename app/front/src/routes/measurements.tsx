import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { ApiClient } from '../api/client';
import { ApiOutcomeUnknownError, ApiProblemError } from '../api/errors';
import type { Measurement } from '../api/types';
import type { ParsedForm } from '../http/form-body';
import { DeletePage } from '../views/delete-page';
import { type FormErrors, toFormErrors } from '../views/form-fields';
import { fromDateTimeLocal } from '../views/format';
import {
  EMPTY_VALUES, MEASUREMENT_FIELDS, type MeasurementFormValues, MeasurementFormPage, valuesOf,
} from '../views/measurement-form-page';
import { type FilterValues, MeasurementsPage, type SortOrder } from '../views/measurements-page';
import type { PageRenderer } from '../views/pages';
import { OutcomeUnknownPage } from '../views/outcome-unknown-page';
import { isNumeric, numberMessage, readValues, toInput } from './measurement-input';

const PAGE_SIZE = 50;
const ID = /^\d{1,19}$/;

/** Fixed confirmation texts after a redirect: the query names one, user text never reaches it. */
function noticeText(query: Context['query']): string | undefined {
  const count = Number(query.count);
  switch (query.notice) {
    case 'created': return 'Measurement added.';
    case 'updated': return 'Changes saved.';
    case 'deleted': return 'Measurement deleted.';
    case 'already-deleted': return 'That measurement had already been deleted.';
    case 'imported': return Number.isInteger(count) && count >= 0 ? `Imported ${count} ${count === 1 ? 'measurement' : 'measurements'}.` : 'Import done.';
    default: return undefined;
  }
}

function queryText(ctx: Context, name: string): string {
  const value = ctx.query[name];
  return typeof value === 'string' ? value.slice(0, 200) : '';
}

function readFilter(ctx: Context): FilterValues {
  return { station: queryText(ctx, 'station').trim(), kind: queryText(ctx, 'kind').trim(), from: queryText(ctx, 'from'), to: queryText(ctx, 'to') };
}

function apiFilter(filter: FilterValues) {
  return {
    station: filter.station || undefined,
    kind: filter.kind || undefined,
    from: filter.from ? fromDateTimeLocal(filter.from) : undefined,
    to: filter.to ? fromDateTimeLocal(filter.to) : undefined,
  };
}

/** API problems a user can fix in the form (bad field values), as field-level messages. */
function formErrorsOf(error: unknown, values?: MeasurementFormValues): FormErrors | undefined {
  if (!(error instanceof ApiProblemError) || ![400, 422].includes(error.status)) return undefined;
  if (error.code === 'idempotency_key_reused') {
    return { byField: {}, general: ['This form was already saved with other values. The form below is a new one: save again to add another measurement.'] };
  }
  const errors = toFormErrors(error.problem.errors, MEASUREMENT_FIELDS, error.problem.detail ?? error.problem.title);
  if (values && values.value.trim() !== '' && !isNumeric(values.value)) {
    // Our own wording: the API only knows it received a string instead of a number.
    return { ...errors, byField: { ...errors.byField, value: [numberMessage(values.value)] } };
  }
  return errors;
}

/** The key a form was rendered with (a new one when the post lacks it, e.g. an old page). */
function idempotencyKeyOf(form: ParsedForm): string {
  const key = form.fields.get('idempotencyKey') ?? '';
  return /^[0-9a-f-]{36}$/.test(key) ? key : crypto.randomUUID();
}

function isStatus(error: unknown, status: number): error is ApiProblemError {
  return error instanceof ApiProblemError && error.status === status;
}

function versionOf(form: ParsedForm): number {
  const version = Number(form.fields.get('version'));
  return Number.isInteger(version) && version >= 1 ? version : 0;
}

/** Measurements: list, create, edit, delete, export. */
export function measurementsRouter(pages: PageRenderer, apiFor: (ctx: Context) => ApiClient): Router {
  const router = new Router();

  router.get('/measurements', async (ctx) => {
    const filter = readFilter(ctx);
    const order: SortOrder = ctx.query.order === 'asc' ? 'asc' : 'desc';
    const cursor = queryText(ctx, 'cursor') || undefined;
    try {
      const result = await apiFor(ctx).listMeasurements({ ...apiFilter(filter), order, cursor, limit: PAGE_SIZE });
      await pages.render(ctx, 200, (page) => (
        <MeasurementsPage page={page} filter={filter} order={order} cursor={cursor} items={result.items}
          nextCursor={result.nextCursor} notice={noticeText(ctx.query)} />
      ));
    } catch (error) {
      if (!isStatus(error, 400)) throw error;
      const errors = toFormErrors(error.problem.errors, ['station', 'kind', 'from', 'to', 'cursor', 'order'], error.problem.detail);
      await pages.render(ctx, 400, (page) => (
        <MeasurementsPage page={page} filter={filter} order={order} items={[]} nextCursor={null} errors={errors} />
      ));
    }
  });

  router.get('/measurements/export.csv', async (ctx) => {
    const stream = await apiFor(ctx).exportCsv(apiFilter(readFilter(ctx)));
    const day = new Date().toISOString().slice(0, 10);
    ctx.set('Content-Disposition', `attachment; filename="measurements-${day}.csv"`);
    ctx.set('Cache-Control', 'no-store');
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = Readable.fromWeb(stream as import('node:stream/web').ReadableStream<Uint8Array>);
  });

  router.get('/measurements/new', async (ctx) => {
    await pages.render(ctx, 200, (page) => <MeasurementFormPage page={page} values={EMPTY_VALUES} idempotencyKey={crypto.randomUUID()} />);
  });

  router.post('/measurements', async (ctx) => {
    const values = readValues(ctx.state.form.fields);
    const key = idempotencyKeyOf(ctx.state.form);
    try {
      await apiFor(ctx).createMeasurement(toInput(values), key);
    } catch (error) {
      if (error instanceof ApiOutcomeUnknownError) {
        await pages.render(ctx, 504, (page) => (
          <OutcomeUnknownPage page={page} what="The measurement" action="/measurements" fields={{ ...values, idempotencyKey: key }} />
        ));
        return;
      }
      if (isStatus(error, 409)) {
        const errors = { byField: {}, general: ['This form is still being saved. Wait a moment, then save again: it will not be added twice.'] };
        await pages.render(ctx, 409, (page) => <MeasurementFormPage page={page} values={values} errors={errors} idempotencyKey={key} />);
        return;
      }
      const errors = formErrorsOf(error, values);
      if (!errors) throw error;
      // A refused request is not stored by the API: the same key may be used for the corrected form.
      const nextKey = isStatus(error, 422) && error.code === 'idempotency_key_reused' ? crypto.randomUUID() : key;
      await pages.render(ctx, (error as ApiProblemError).status, (page) => (
        <MeasurementFormPage page={page} values={values} errors={errors} idempotencyKey={nextKey} />
      ));
      return;
    }
    ctx.redirect('/measurements?notice=created');
    ctx.status = 303;
  });

  router.get('/measurements/:id/edit', async (ctx) => {
    const m = await load(ctx, ctx.params.id);
    await pages.render(ctx, 200, (page) => (
      <MeasurementFormPage page={page} values={valuesOf(m)} edit={{ id: m.id, version: m.version }} stored={m} />
    ));
  });

  router.post('/measurements/:id/edit', async (ctx) => {
    const id = checkId(ctx, ctx.params.id);
    const values = readValues(ctx.state.form.fields);
    const version = versionOf(ctx.state.form);
    try {
      await apiFor(ctx).updateMeasurement(id, version, toInput(values));
    } catch (error) {
      if (isStatus(error, 412)) {
        const current = await load(ctx, id);
        await pages.render(ctx, 409, (page) => (
          <MeasurementFormPage page={page} values={values} edit={{ id, version: current.version }} conflict={current} />
        ));
        return;
      }
      const errors = formErrorsOf(error, values);
      if (!errors) throw error;
      await pages.render(ctx, (error as ApiProblemError).status, (page) => (
        <MeasurementFormPage page={page} values={values} errors={errors} edit={{ id, version }} />
      ));
      return;
    }
    ctx.redirect('/measurements?notice=updated');
    ctx.status = 303;
  });

  router.get('/measurements/:id/delete', async (ctx) => {
    const m = await load(ctx, ctx.params.id);
    await pages.render(ctx, 200, (page) => <DeletePage page={page} measurement={m} />);
  });

  router.post('/measurements/:id/delete', async (ctx) => {
    const id = checkId(ctx, ctx.params.id);
    try {
      await apiFor(ctx).deleteMeasurement(id, versionOf(ctx.state.form));
    } catch (error) {
      if (isStatus(error, 404)) {
        ctx.redirect('/measurements?notice=already-deleted');
        ctx.status = 303;
        return;
      }
      if (!isStatus(error, 412)) throw error;
      const current = await load(ctx, id);
      await pages.render(ctx, 409, (page) => <DeletePage page={page} measurement={current} changedMeanwhile />);
      return;
    }
    ctx.redirect('/measurements?notice=deleted');
    ctx.status = 303;
  });

  function checkId(ctx: Context, id: string | undefined): string {
    if (!id || !ID.test(id)) ctx.throw(404, 'There is no measurement with this id.');
    return id;
  }

  async function load(ctx: Context, id: string | undefined): Promise<Measurement> {
    return apiFor(ctx).getMeasurement(checkId(ctx, id));
  }

  return router;
}
