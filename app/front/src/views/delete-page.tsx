import type { Measurement } from '../api/types';
import { CsrfField } from './form-fields';
import { formatAuthor, formatTime, formatValue } from './format';
import { Layout, type PageContext } from './layout';

/** Asks for confirmation before deleting; works without JavaScript (a real page, not a dialog). */
export function DeletePage(props: { page: PageContext; measurement: Measurement; changedMeanwhile?: boolean }) {
  const m = props.measurement;
  return (
    <Layout page={props.page} title={`Delete measurement ${m.id}`} section="measurements">
      <p class="breadcrumb">
        <a href="/measurements">Measurements</a>
      </p>
      <h1>Delete this measurement?</h1>
      {props.changedMeanwhile ? (
        <p class="notice notice-warning" role="alert">
          Someone changed this measurement after you opened the confirmation (now version {m.version}). Nothing was deleted.
          Check the values below and confirm again.
        </p>
      ) : null}
      <dl class="summary">
        <div><dt>Station</dt><dd>{m.station}</dd></div>
        <div><dt>Kind</dt><dd>{m.kind}</dd></div>
        <div><dt>Value</dt><dd>{formatValue(m.value, m.unit)}</dd></div>
        <div><dt>Recorded at</dt><dd><time datetime={m.recordedAt}>{formatTime(m.recordedAt)}</time></dd></div>
        <div><dt>Version</dt><dd>{m.version}</dd></div>
        <div><dt>Added by</dt><dd>{formatAuthor(m.createdBy)}</dd></div>
        <div><dt>Last changed by</dt><dd>{formatAuthor(m.updatedBy)}</dd></div>
      </dl>
      <p>This cannot be undone.</p>
      <form method="post" action={`/measurements/${encodeURIComponent(m.id)}/delete`} class="actions">
        <CsrfField token={props.page.csrfToken} />
        <input type="hidden" name="version" value={String(m.version)} />
        <button type="submit" class="button button-danger">Delete measurement</button>
        <a class="button" href="/measurements">Keep it</a>
      </form>
    </Layout>
  );
}
