import type { SeriesStats } from '../api/types';
import { formatNumber, formatTime, formatValue } from './format';
import { Layout, type PageContext } from './layout';
import { type ChartPoint, LineChart } from './line-chart';

export interface Series {
  readonly stats: SeriesStats;
  /** The most recent values, any order. */
  readonly points: readonly ChartPoint[];
}

export interface StationsPageProps {
  readonly page: PageContext;
  /** Station chosen with ?station=, if any. */
  readonly station?: string;
  readonly series: readonly Series[];
  /** Series left out to keep the page light (only the first ones are charted). */
  readonly omitted: number;
  readonly pointsPerChart: number;
}

/** Per station, one card per kind: latest value, min / average / max, and a chart of recent values. */
export function StationsPage(props: StationsPageProps) {
  const byStation = new Map<string, Series[]>();
  for (const s of props.series) {
    const list = byStation.get(s.stats.station) ?? [];
    list.push(s);
    byStation.set(s.stats.station, list);
  }
  const title = props.station ? `Station ${props.station}` : 'Stations';
  return (
    <Layout page={props.page} title={title} section="stations">
      {props.station ? (
        <p class="breadcrumb">
          <a href="/stations">All stations</a>
        </p>
      ) : null}
      <h1>{title}</h1>
      <p class="lead">Latest value and the last {props.pointsPerChart} values of each kind of measurement. Times are UTC.</p>
      {byStation.size === 0 ? <p class="empty">No measurements{props.station ? ' for this station' : ''} yet.</p> : null}
      {[...byStation.entries()].map(([station, series], si) => (
        <section key={station} class="station" aria-labelledby={`station-${si}`}>
          {/* One station chosen: the page heading already names it. */}
          <h2 id={`station-${si}`} class={props.station ? 'visually-hidden' : undefined}>
            {props.station ? station : <a href={`/stations?station=${encodeURIComponent(station)}`}>{station}</a>}
          </h2>
          <div class="cards">
            {series.map((s, ki) => (
              <SeriesCard key={`${s.stats.kind} ${s.stats.unit ?? ""}`} series={s} id={`chart-${si}-${ki}`} />
            ))}
          </div>
        </section>
      ))}
      {props.omitted > 0 ? (
        <p class="notice">
          {props.omitted} more {props.omitted === 1 ? 'series is' : 'series are'} not shown. Choose a station in the{' '}
          <a href="/measurements">measurements list</a> to see its charts.
        </p>
      ) : null}
    </Layout>
  );
}

function SeriesCard({ series, id }: { series: Series; id: string }) {
  const { stats } = series;
  const listHref = `/measurements?station=${encodeURIComponent(stats.station)}&kind=${encodeURIComponent(stats.kind)}`;
  return (
    <article class="card" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>
        {stats.kind}
        {stats.unit ? <span class="unit"> ({stats.unit})</span> : null}
      </h3>
      {stats.latest ? (
        <p class="latest">
          <span class="latest-value">{formatValue(stats.latest.value, stats.unit)}</span>
          <span class="latest-time">
            latest, <time datetime={stats.latest.recordedAt}>{formatTime(stats.latest.recordedAt)}</time>
          </span>
        </p>
      ) : null}
      <LineChart id={id} title={`${stats.kind} at ${stats.station}`} points={series.points} unit={stats.unit} />
      <dl class="stats">
        <div><dt>Min</dt><dd>{formatNumber(stats.min)}</dd></div>
        <div><dt>Average</dt><dd>{formatNumber(stats.avg, 2)}</dd></div>
        <div><dt>Max</dt><dd>{formatNumber(stats.max)}</dd></div>
        <div><dt>Count</dt><dd>{formatNumber(stats.count)}</dd></div>
      </dl>
      <p class="card-link"><a href={listHref}>All {stats.kind} values at {stats.station}</a></p>
    </article>
  );
}
