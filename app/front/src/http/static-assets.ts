import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Middleware } from 'koa';

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
}

/** The few static files (CSS, icon), read once at start-up and served from memory. */
export class StaticAssets {
  private readonly assets = new Map<string, Asset>();

  constructor(publicDir: string) {
    for (const [file, type] of [['style.css', 'text/css; charset=utf-8'], ['favicon.svg', 'image/svg+xml']] as const) {
      const body = readFileSync(path.join(publicDir, file));
      const etag = createHash('sha256').update(body).digest('base64url').slice(0, 16);
      this.assets.set(`/static/${file}`, { body, type, etag });
    }
  }

  /** URL of an asset with its content hash, so it can be cached forever and still change on deploy. */
  href(file: string): string {
    const asset = this.assets.get(`/static/${file}`);
    if (!asset) throw new Error(`Unknown static asset ${file}`);
    return `/static/${file}?v=${asset.etag}`;
  }

  middleware(): Middleware {
    return async (ctx, next) => {
      const asset = ctx.method === 'GET' || ctx.method === 'HEAD' ? this.assets.get(ctx.path) : undefined;
      if (!asset) return next();
      ctx.set('Cache-Control', ctx.query.v === asset.etag ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
      ctx.etag = asset.etag;
      ctx.type = asset.type;
      if (ctx.fresh) {
        ctx.status = 304;
        return;
      }
      ctx.body = asset.body;
    };
  }
}

