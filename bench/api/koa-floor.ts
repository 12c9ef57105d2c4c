// The floor of the API's framework cost: Koa and @koa/router, with the API's route table (same
// paths, methods, nesting and order as src/app.ts and the routes files), serving the same SQL
// as bare.ts (same-sql.ts) and nothing of the API's own: no token check, validation, metrics,
// log line, request id, conditional-request headers or problem documents. While the API keeps
// Koa and @koa/router it cannot be faster than this; what separates this server from bare.ts
// is their cost alone. Started by run.ts as its own process, with node's defaults.
import Router from '@koa/router';
import Koa from 'koa';
import { byId, firstPage, insert, pool } from './same-sql';

const notBenchmarked = (ctx: Koa.Context) => {
  ctx.status = 404;
  ctx.body = { error: 'not benchmarked' };
};

const system = new Router();
system.get('/', notBenchmarked);
system.get('/openapi.json', notBenchmarked);

const measurements = new Router({ prefix: '/api/measurements' });
measurements.get('/', async (ctx) => {
  ctx.body = await firstPage();
});
measurements.post('/', async (ctx) => {
  let text = '';
  for await (const chunk of ctx.req) text += chunk;
  ctx.status = 201;
  ctx.body = await insert(text);
});
measurements.post('/import', notBenchmarked);
measurements.get('/export', notBenchmarked);
measurements.options('/export', notBenchmarked);
measurements.options('/import', notBenchmarked);
measurements.get('/:id', async (ctx) => {
  const found = await byId(ctx.params.id);
  if (!found) return notBenchmarked(ctx);
  ctx.body = found;
});
measurements.put('/:id', notBenchmarked);
measurements.delete('/:id', notBenchmarked);

const stats = new Router({ prefix: '/api/stats' });
stats.get('/', notBenchmarked);

const router = new Router();
router.use(system.routes());
router.use(measurements.routes());
router.use(stats.routes());
const app = new Koa();
app.use(router.routes());
app.use(router.allowedMethods());
const server = app.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
