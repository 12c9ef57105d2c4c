import Router from '@koa/router';
import type { Db } from '../db';
import { parse } from '../measurements/routes';
import { statsQuery } from '../measurements/schemas';
import { readStats } from './repository';

export function statsRouter(deps: { db: Db }): Router {
  const router = new Router({ prefix: '/api/stats' });
  router.get('/', async (ctx) => {
    const query = parse(statsQuery, ctx.query);
    ctx.body = { items: await readStats(deps.db, query) };
  });
  return router;
}
