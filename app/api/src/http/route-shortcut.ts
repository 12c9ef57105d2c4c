// @koa/router's dispatch for every request, with a shortcut for the hottest ones (a measurement
// by id, the list, a create). The router tests every route's pattern against every request
// path, then builds and composes the matched layers' middleware chain for it: a cost per
// request that does not depend on the request when its path has one fixed shape. For those
// shapes the router's own match is made once, at startup, and its chain composed once; the
// request then runs exactly what the router would have run, with the same ctx fields
// (params, captures, matched, _matchedRoute, ...). Every other request, including other
// spellings of the same routes (a trailing slash, capitals, escapes), goes through the router.
// test/route-shortcut.test.ts sends the same generated requests to the API with and without the
// shortcut and compares what comes back, the metric's route label and the log line.
import type Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';

export interface ShortcutRoute {
  /** Methods that take the shortcut; the router must serve each with one route layer. */
  readonly methods: readonly string[];
  /**
   * The whole request path (ctx.path), spelled as the route is registered; its capture groups
   * are the route's parameters, in order. Every path it matches must be one the router serves
   * with the same layers (checked at startup on `example`, and by the test on generated paths).
   */
  readonly pattern: RegExp;
  /** A path `pattern` matches, for asking the router once which layers serve it. */
  readonly example: string;
}

type Layer = ReturnType<Router['match']>['path'][number];

/** The fields @koa/router's dispatch sets on the context (see its middleware()). */
interface RoutedContext {
  router?: Router;
  routeMatched?: boolean;
  matched?: Layer[];
  _matchedRoute?: string | RegExp;
  _matchedRouteName?: string;
  captures?: string[];
  params: Record<string, string>;
  request: { params: Record<string, string> };
  routerPath?: string | RegExp;
  routerName?: string;
}

interface Shortcut {
  readonly pattern: RegExp;
  /** Layers whose path matches (ctx.matched), method or not: idParam and 405s read them. */
  readonly matched: readonly Layer[];
  readonly route: Layer;
  /** The layer's one handler. */
  readonly handler: Middleware;
}

/** `router.routes()`, with the shortcut for `routes`. */
export function routesWithShortcuts(router: Router, routes: readonly ShortcutRoute[]): Middleware {
  const dispatch = router.routes() as Middleware;
  const internals = router as unknown as { host?: unknown; exclusive?: boolean; opts: { routerPath?: string } };
  // Options under which the router's match would depend on more than the path and method.
  if (internals.host !== undefined || internals.exclusive || internals.opts.routerPath !== undefined) {
    throw new Error('routesWithShortcuts: the router uses host, exclusive or routerPath, which the shortcut does not reproduce');
  }
  const byMethod = new Map<string, Shortcut[]>();
  for (const route of routes) {
    for (const method of route.methods) {
      const shortcut = shortcutFor(router, route, method);
      byMethod.set(method, [...(byMethod.get(method) ?? []), shortcut]);
    }
  }

  return function routeRequest(ctx: Context, next: Next) {
    const shortcuts = byMethod.get(ctx.method);
    if (shortcuts !== undefined) {
      const path = ctx.path;
      for (const shortcut of shortcuts) {
        const found = shortcut.pattern.exec(path);
        if (found !== null) return run(ctx as Context & RoutedContext, next, router, shortcut, found.slice(1), path);
      }
    }
    return dispatch(ctx, next);
  };
}

function shortcutFor(router: Router, route: ShortcutRoute, method: string): Shortcut {
  if (!route.pattern.test(route.example)) throw new Error(`routesWithShortcuts: ${route.example} does not match ${route.pattern}`);
  const match = router.match(route.example, method);
  const layers = match.pathAndMethod;
  // One route layer with one handler and no path middleware: the chain the router builds is
  // then the layer's parameter step, then that handler.
  if (!match.route || layers.length !== 1 || layers[0].methods.length === 0 || layers[0].stack.length !== 1) {
    throw new Error(`routesWithShortcuts: ${method} ${route.example} is not served by exactly one route layer with one handler`);
  }
  const layer = layers[0];
  return { pattern: route.pattern, matched: match.path, route: layer, handler: layer.stack[0] as Middleware };
}

function run(ctx: Context & RoutedContext, next: Next, router: Router, shortcut: Shortcut, captures: string[], path: string) {
  const layer = shortcut.route;
  // What dispatch sets before the chain (_storeMatchedRoutes, _setMatchedRouteInfo): a fresh
  // matched array per request, as the router's.
  ctx.matched = ctx.matched ? [...ctx.matched, ...shortcut.matched] : [...shortcut.matched];
  ctx.router = router;
  ctx.routeMatched = true;
  // What the layer's step of the chain sets (_buildMiddlewareChain), then its stack.
  ctx.captures = captures;
  ctx.request.params = layer.params(path, captures, ctx.params);
  ctx.params = ctx.request.params;
  ctx.routerPath = layer.path;
  ctx.routerName = layer.name || undefined;
  ctx._matchedRoute = layer.path;
  if (layer.name) ctx._matchedRouteName = layer.name;
  // As koa-compose calls it: a handler that throws gives a rejected promise.
  try {
    return Promise.resolve(shortcut.handler(ctx, next));
  } catch (error) {
    return Promise.reject(error);
  }
}
