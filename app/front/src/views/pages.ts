import type { Context } from 'koa';
import type { VNode } from 'preact';
import { signInHref } from '../auth/return-to';
import { canWrite } from '../auth/roles';
import type { Session } from '../auth/session';
import type { Csrf } from '../http/csrf';
import type { StaticAssets } from '../http/static-assets';
import type { StatusProbe } from '../status';
import type { PageContext } from './layout';
import { renderDocument } from './render';

/** Renders whole pages for a request: gathers the layout's context, sets status and headers. */
export class PageRenderer {
  constructor(
    private readonly csrf: Csrf,
    private readonly assets: StaticAssets,
    private readonly probe: StatusProbe,
  ) {}

  async context(ctx: Context): Promise<PageContext> {
    const user = (ctx.state.session as Session | undefined)?.user;
    return {
      user,
      canWrite: canWrite(user),
      signInHref: signInHref(ctx.method === 'GET' ? ctx.originalUrl : '/measurements'),
      csrfToken: this.csrf.tokenFor(ctx),
      cssHref: this.assets.href('style.css'),
      iconHref: this.assets.href('favicon.svg'),
      status: await this.probe.current(),
    };
  }

  async render(ctx: Context, status: number, build: (page: PageContext) => VNode): Promise<void> {
    const page = await this.context(ctx);
    ctx.status = status;
    ctx.type = 'text/html; charset=utf-8';
    // Pages embed a per-browser CSRF token and live data: never store them in shared caches.
    ctx.set('Cache-Control', 'no-store');
    ctx.body = renderDocument(build(page));
  }
}
