import crypto from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import type { ApiClient } from '../api/client';
import { ApiOutcomeUnknownError, ApiProblemError } from '../api/errors';
import { ImportPage } from '../views/import-page';
import { OutcomeUnknownPage } from '../views/outcome-unknown-page';
import type { PageRenderer } from '../views/pages';

/** Largest CSV the front accepts (the API has its own limit and says so with a 413). */
export const IMPORT_LIMIT_BYTES = 5 * 1024 * 1024;

/** CSV import: an upload form (file or pasted text), the API's per-line report on failure. */
export function importRouter(pages: PageRenderer, apiFor: (ctx: Context) => ApiClient): Router {
  const router = new Router();

  router.get('/import', async (ctx) => {
    await pages.render(ctx, 200, (page) => <ImportPage page={page} idempotencyKey={crypto.randomUUID()} />);
  });

  router.post('/import', async (ctx) => {
    const file = ctx.state.form.files.get('file') as { name: string; text: string } | undefined;
    const fromFile = Boolean(file && file.text.trim() !== '');
    // A byte-order mark is not part of the header line. Line ends become LF: a browser sends a
    // resubmitted (hidden-field) copy with CRLF, and the same file must be the same payload.
    const csv = (fromFile ? file!.text : (ctx.state.form.fields.get('csv') ?? '')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
    const fileName = fromFile ? file!.name : undefined;
    const submitted = ctx.state.form.fields.get('idempotencyKey') ?? '';
    const key = /^[0-9a-f-]{36}$/.test(submitted) ? submitted : crypto.randomUUID();
    if (csv.trim() === '') {
      await pages.render(ctx, 400, (page) => <ImportPage page={page} idempotencyKey={key} message="Choose a CSV file or paste CSV text, then import." />);
      return;
    }
    let imported: number;
    try {
      ({ imported } = await apiFor(ctx).importCsv(csv, key));
    } catch (error) {
      if (error instanceof ApiOutcomeUnknownError) {
        await pages.render(ctx, 504, (page) => <OutcomeUnknownPage page={page} what="The import" action="/import" fields={{ csv, idempotencyKey: key }} />);
        return;
      }
      if (!(error instanceof ApiProblemError) || error.status >= 500) throw error;
      if (error.status === 409 || error.code === 'idempotency_key_reused') {
        const message = error.status === 409
          ? 'This import is still running. Wait a moment, then import again: it will not be imported twice.'
          : 'This form was already used for another import, which was saved. Import again from this new form.';
        await pages.render(ctx, error.status, (page) => (
          <ImportPage page={page} csv={csv} fileName={fileName} message={message} idempotencyKey={error.status === 409 ? key : crypto.randomUUID()} />
        ));
        return;
      }
      const { problem } = error;
      const lineErrors = problem.errors?.length ? problem.errors : undefined;
      const message = lineErrors ? undefined : (problem.detail ?? problem.title ?? 'The API refused the file.');
      await pages.render(ctx, error.status === 413 ? 413 : 422, (page) => (
        <ImportPage page={page} csv={csv} fileName={fileName} lineErrors={lineErrors} message={message} idempotencyKey={key}
          totalErrors={typeof error.problem.totalErrors === 'number' ? error.problem.totalErrors : undefined} />
      ));
      return;
    }
    ctx.redirect(`/measurements?notice=imported&count=${imported}`);
    ctx.status = 303;
  });

  return router;
}
