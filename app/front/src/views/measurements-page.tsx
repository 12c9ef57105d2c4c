import type { Measurement } from '../api/types';
import { ErrorSummary, type FormErrors, NO_ERRORS } from './form-fields';
import { formatAuthor, formatNumber, formatTime } from './format';
import { Layout, type PageContext } from './layout';

/** The filter as typed in the page's form (datetime-local values in UTC). */
export interface FilterValues {
  readonly station: string;
  readonly kind: string;
  readonly from: string;
  readonly to: string;
}

export type SortOrder = 'asc' | 'desc';

export const FILTER_LABELS: Readonly<Record<string, string>> = {
  station: 'Station',
  kind: 'Kind',
  from: 'From (UTC)',
  to: 'To (UTC)',
  cursor: 'Page',
  order: 'Sort order',
};

/** Link to the list with this filter, order and page; empty parameters are left out. */
export function measurementsHref(path: string, filter: FilterValues, extra: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, ...extra })) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export interface MeasurementsPageProps {
  readonly page: PageContext;
  readonly filter: FilterValues;
  readonly order: SortOrder;
  readonly cursor?: string;
  readonly items: readonly Measurement[];
  readonly nextCursor: string | null;
  /** Confirmation of the last action (after a redirect), already worded. */
  readonly notice?: string;
  readonly errors?: FormErrors;
}

export function MeasurementsPage(props: MeasurementsPageProps) {
  const { filter, order, items } = props;
  const errors = props.errors ?? NO_ERRORS;
  const orderParam = order === 'asc' ? 'asc' : undefined;
  const filtered = Boolean(filter.station || filter.kind || filter.from || filter.to);
  return (
    <Layout page={props.page} title="Measurements" section="measurements">
      <div class="page-heading">
        <h1>Measurements</h1>
        <div class="toolbar">
          {props.page.canWrite ? <a class="button button-primary" href="/measurements/new">Add measurement</a> : null}
          {props.page.canWrite ? <a class="button" href="/import">Import CSV</a> : null}
          <a class="button" href={measurementsHref('/measurements/export.csv', filter)} download>
            Export CSV{filtered ? ' (filtered)' : ''}
          </a>
        </div>
      </div>
      {props.notice ? <p class="notice notice-success" role="status">{props.notice}</p> : null}
      <ErrorSummary errors={errors} labels={FILTER_LABELS} idPrefix="filter-" />
      <form method="get" action="/measurements" class="filters" role="search" aria-label="Filter measurements">
        <FilterField name="station" label="Station" value={filter.station} errors={errors.byField.station} />
        <FilterField name="kind" label="Kind" value={filter.kind} errors={errors.byField.kind} />
        <FilterField name="from" label="From (UTC)" value={filter.from} errors={errors.byField.from} type="datetime-local" />
        <FilterField name="to" label="To (UTC)" value={filter.to} errors={errors.byField.to} type="datetime-local" />
        {orderParam ? <input type="hidden" name="order" value={orderParam} /> : null}
        <div class="filter-actions">
          <button type="submit" class="button button-primary">Apply filters</button>
          {filtered ? <a class="button" href={measurementsHref('/measurements', { station: '', kind: '', from: '', to: '' }, { order: orderParam })}>Clear</a> : null}
        </div>
      </form>
      {items.length === 0 ? (
        <p class="empty">
          {filtered ? 'No measurements match these filters.' : `No measurements yet.${props.page.canWrite ? ' Add one or import a CSV file.' : ''}`}
        </p>
      ) : (
        <div class="table-scroll" role="region" aria-labelledby="measurements-caption" tabIndex={0}>
          <table class="data cards-on-mobile">
            <caption id="measurements-caption">
              Measurements, {order === 'asc' ? 'oldest' : 'newest'} first{props.cursor ? ' (continued)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col" aria-sort={order === 'asc' ? 'ascending' : 'descending'}>
                  <a href={measurementsHref('/measurements', filter, { order: order === 'asc' ? undefined : 'asc' })}>
                    Recorded at <span aria-hidden="true">{order === 'asc' ? '▲' : '▼'}</span>
                    <span class="visually-hidden">, sort {order === 'asc' ? 'newest' : 'oldest'} first</span>
                  </a>
                </th>
                <th scope="col">Station</th>
                <th scope="col">Kind</th>
                <th scope="col" class="num">Value</th>
                <th scope="col">Unit</th>
                <th scope="col">Last changed by</th>
                {props.page.canWrite ? <th scope="col"><span class="visually-hidden">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.id}>
                  <td data-label="Recorded at"><time datetime={m.recordedAt}>{formatTime(m.recordedAt)}</time></td>
                  <td data-label="Station"><a href={`/stations?station=${encodeURIComponent(m.station)}`}>{m.station}</a></td>
                  <td data-label="Kind">{m.kind}</td>
                  <td data-label="Value" class="num">{formatNumber(m.value)}</td>
                  <td data-label="Unit">{m.unit ?? ''}</td>
                  <td data-label="Last changed by" class="author">{formatAuthor(m.updatedBy)}</td>
                  {props.page.canWrite ? <td class="row-actions">
                    <a href={`/measurements/${encodeURIComponent(m.id)}/edit`}>
                      Edit<span class="visually-hidden"> {m.station} {m.kind} at {formatTime(m.recordedAt)}</span>
                    </a>
                    <a href={`/measurements/${encodeURIComponent(m.id)}/delete`} class="danger-link">
                      Delete<span class="visually-hidden"> {m.station} {m.kind} at {formatTime(m.recordedAt)}</span>
                    </a>
                  </td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="pagination" aria-label="Pages">
        {props.cursor ? <a class="button" href={measurementsHref('/measurements', filter, { order: orderParam })}>First page</a> : null}
        {props.nextCursor ? (
          <a class="button" rel="next" href={measurementsHref('/measurements', filter, { order: orderParam, cursor: props.nextCursor })}>
            Next page <span aria-hidden="true">→</span>
          </a>
        ) : null}
      </nav>
    </Layout>
  );
}

function FilterField(props: { name: string; label: string; value: string; errors?: readonly string[]; type?: 'text' | 'datetime-local' }) {
  const id = `filter-${props.name}`;
  const errorId = props.errors?.length ? `${id}-error` : undefined;
  return (
    <div class={errorId ? 'field field-invalid' : 'field'}>
      <label for={id}>{props.label}</label>
      {errorId ? <p id={errorId} class="field-error">{props.errors!.join(' ')}</p> : null}
      <input id={id} name={props.name} type={(props.type ?? 'text') as 'text'} value={props.value} step={props.type === 'datetime-local' ? 1 : undefined}
        aria-invalid={errorId ? 'true' : undefined} aria-describedby={errorId} />
    </div>
  );
}
