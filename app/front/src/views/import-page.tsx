import type { ProblemFieldError } from '../api/types';
import { CsrfField } from './form-fields';
import { Layout, type PageContext } from './layout';

export const CSV_HEADER = 'station,kind,value,unit,recordedAt';

export interface ImportPageProps {
  readonly page: PageContext;
  /** CSV text to put back in the text area (the rejected upload, so it can be fixed in place). */
  readonly csv?: string;
  /** A problem with the upload as a whole (nothing chosen, too large...). */
  readonly message?: string;
  /** The API's per-line report after a rejected import. */
  readonly lineErrors?: readonly ProblemFieldError[];
  readonly fileName?: string;
  /** How many problems the API found in all (it lists only the first ones). @default lineErrors.length */
  readonly totalErrors?: number;
  /** Sent as Idempotency-Key: posting this form again cannot import the file twice. */
  readonly idempotencyKey?: string;
}

export function ImportPage(props: ImportPageProps) {
  const lines = props.csv?.split(/\r?\n/) ?? [];
  const lineErrors = props.lineErrors ?? [];
  const total = Math.max(props.totalErrors ?? 0, lineErrors.length);
  return (
    <Layout page={props.page} title="Import CSV" section="import">
      <h1>Import measurements from CSV</h1>
      <p>
        The first line must be the header <code>{CSV_HEADER}</code>. <code>unit</code> and <code>recordedAt</code> (ISO 8601, e.g.{' '}
        <code>2024-05-01T10:00:00Z</code>) may be empty. The file is imported completely or not at all.
      </p>
      {props.message ? <p class="notice notice-error" role="alert">{props.message}</p> : null}
      {lineErrors.length > 0 ? (
        <section class="notice notice-error" role="alert" aria-labelledby="import-errors-title">
          <h2 id="import-errors-title">
            Nothing was imported: {total} {total === 1 ? 'problem' : 'problems'}
            {props.fileName ? ` in ${props.fileName}` : ''}
          </h2>
          {total > lineErrors.length ? <p>The first {lineErrors.length} are listed below.</p> : null}
          <div class="table-scroll" role="region" aria-labelledby="import-errors-title" tabIndex={0}>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col" class="num">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Problem</th>
                  <th scope="col">Content</th>
                </tr>
              </thead>
              <tbody>
                {lineErrors.map((e, i) => (
                  <tr key={i}>
                    <td class="num">{e.line ?? ''}</td>
                    <td>{e.field ?? ''}</td>
                    <td>{e.message}</td>
                    <td><code class="csv-line">{e.line ? (lines[e.line - 1] ?? '') : ''}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>The content is in the text box below: correct it there and import again.</p>
        </section>
      ) : null}
      <form method="post" action="/import" enctype="multipart/form-data" class="stacked-form">
        {props.idempotencyKey ? <input type="hidden" name="idempotencyKey" value={props.idempotencyKey} /> : null}
        <CsrfField token={props.page.csrfToken} />
        <div class="field">
          <label for="field-file">CSV file</label>
          <p id="field-file-hint" class="hint">UTF-8 text, up to 5 MB.</p>
          <input id="field-file" name="file" type="file" accept=".csv,text/csv" aria-describedby="field-file-hint" />
        </div>
        <div class="field">
          <label for="field-csv">Or paste CSV</label>
          <p id="field-csv-hint" class="hint">Used when no file is chosen.</p>
          <textarea id="field-csv" name="csv" rows={10} spellcheck={false} aria-describedby="field-csv-hint"
            placeholder={`${CSV_HEADER}\nlyon-01,temperature,21.5,°C,2024-05-01T10:00:00Z`} value={props.csv ?? ''} />
        </div>
        <div class="actions">
          <button type="submit" class="button button-primary">Import</button>
          <a class="button" href="/measurements">Cancel</a>
        </div>
      </form>
    </Layout>
  );
}
