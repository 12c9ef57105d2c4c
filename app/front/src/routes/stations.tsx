import Router from '@koa/router';
import type { Context } from 'koa';
import type { ApiClient } from '../api/client';
import type { SeriesStats } from '../api/types';
import type { PageRenderer } from '../views/pages';
import { type Series, StationsPage } from '../views/stations-page';

/** Charts per page (each costs one API call) and points per chart: keeps the page light and quick. */
const MAX_SERIES = 24;
const POINTS_PER_CHART = 100;
const CONCURRENCY = 4;

/** Stations: latest values and a chart of recent values for each station and kind. */
export function stationsRouter(pages: PageRenderer, apiFor: (ctx: Context) => ApiClient): Router {
  const router = new Router();

  router.get('/stations', async (ctx) => {
    const station = typeof ctx.query.station === 'string' && ctx.query.station.trim() ? ctx.query.station.trim().slice(0, 200) : undefined;
    const api = apiFor(ctx);
    const stats = [...(await api.stats({ station }))].sort(
      (a, b) => a.station.localeCompare(b.station) || a.kind.localeCompare(b.kind),
    );
    const shown = stats.slice(0, MAX_SERIES);
    const series = await mapLimited(shown, CONCURRENCY, async (s: SeriesStats): Promise<Series> => {
      // One series per unit, like the statistics: °C and °F rows never share a chart.
      const recent = await api.listMeasurements({ station: s.station, kind: s.kind, unit: s.unit ?? '', limit: POINTS_PER_CHART, order: 'desc' });
      return { stats: s, points: recent.items.map((m) => ({ t: Date.parse(m.recordedAt), v: m.value })) };
    });
    await pages.render(ctx, 200, (page) => (
      <StationsPage page={page} station={station} series={series} omitted={stats.length - shown.length} pointsPerChart={POINTS_PER_CHART} />
    ));
  });

  return router;
}

/** Like Promise.all over `items`, with at most `limit` calls in flight. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
