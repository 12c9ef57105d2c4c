import type { Middleware } from 'koa';

/**
 * Pages carry no script at all, so the policy allows none; styles and images come only from
 * this origin (so no inline style attributes either: SVG charts use presentation attributes
 * and classes). Forms post only to this origin, and to the identity provider's: browsers apply
 * form-action to the redirects after a post too, and sign-out's POST ends at the provider.
 */
export function contentSecurityPolicy(formOrigins: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    ["form-action 'self'", ...formOrigins].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** One year, subdomains included: sent only on HTTPS responses (RFC 6797 ignores it over HTTP). */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/**
 * Sets the security headers on every response, errors included; HSTS when the request came over
 * HTTPS (ctx.secure: the socket, or X-Forwarded-Proto when the app trusts its proxy).
 */
export function securityHeaders(options: { readonly formOrigins?: () => readonly string[] } = {}): Middleware {
  return async (ctx, next) => {
    if (ctx.secure) ctx.set('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
    ctx.set({
      'Content-Security-Policy': contentSecurityPolicy(options.formOrigins?.() ?? []),
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
    });
    await next();
  };
}
