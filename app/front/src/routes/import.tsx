import Router from '@koa/router';
import type { Context } from 'koa';
import type { ApiClient } from '../api/client';
import { ApiProblemError } from '../api/errors';
import { ImportPage } from '../views/import-page';
import type { PageRenderer } from '../views/pages';

/** Largest CSV the front accepts (the API has its own limit and says so with a 413). */
export const IMPORT_LIMIT_BYTES = 5 * 1024 * 1024;

/** CSV import: an upload form (file or pasted text), the API's per-line report on failure. */
export function importRouter(pages: PageRenderer, apiFor: (ctx: Context) => ApiClient): Router {
  const router = new Router();

  router.get('/import', async (ctx) => {
    await pages.render(ctx, 200, (page) => <ImportPage page={page} />);
  });

  router.post('/import', async (ctx) => {
    const file = ctx.state.form.files.get('file') as { name: string; text: string } | undefined;
    const fromFile = Boolean(file && file.text.trim() !== '');
    // A byte-order mark is not part of the header line.
    const csv = (fromFile ? file!.text : (ctx.state.form.fields.get('csv') ?? '')).replace(/^\uFEFF/, '');
    const fileName = fromFile ? file!.name : undefined;
    if (csv.trim() === '') {
      await pages.render(ctx, 400, (page) => <ImportPage page={page} message="Choose a CSV file or paste CSV text, then import." />);
      return;
    }
    let imported: number;
    try {
      ({ imported } = await apiFor(ctx).importCsv(csv));
    } catch (error) {
      if (!(error instanceof ApiProblemError) || error.status >= 500) throw error;
      const { problem } = error;
      const lineErrors = problem.errors?.length ? problem.errors : undefined;
      const message = lineErrors ? undefined : (problem.detail ?? problem.title ?? 'The API refused the file.');
      await pages.render(ctx, error.status === 413 ? 413 : 422, (page) => (
        <ImportPage page={page} csv={csv} fileName={fileName} lineErrors={lineErrors} message={message} />
      ));
      return;
    }
    ctx.redirect(`/measurements?notice=imported&count=${imported}`);
    ctx.status = 303;
  });

  return router;
}
