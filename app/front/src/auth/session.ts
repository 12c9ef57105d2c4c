import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import type { OidcClient, UserTokens } from './oidc';
import type { Role, SessionUser } from './roles';
import { SealedCookie } from './sealed-cookie';

export const SESSION_COOKIE = 'ecodata_session';

/** A session ends this long after sign-in at the latest, whatever the provider's tokens say. */
export const SESSION_LIFETIME_S = 8 * 60 * 60;

/** Access tokens are refreshed this long before they expire, so no API call carries a dying one. */
const REFRESH_MARGIN_S = 30;

/** What the session cookie holds (sealed: encrypted and authenticated). Short keys: it travels on every request. */
interface SessionData {
  readonly sub: string;
  /** Display name. */
  readonly n: string;
  readonly role: Role | null;
  readonly at: string;
  /** Access token expiry, seconds since the epoch. */
  readonly ate: number;
  readonly rt?: string;
  /** The ID token, kept for RP-initiated logout's id_token_hint. */
  readonly idt?: string;
  /** End of the session, seconds since the epoch. */
  readonly end: number;
}

/** The request's session, when there is one. */
export interface Session {
  readonly user: SessionUser;
  readonly accessToken: string;
  readonly refreshToken?: string;
  readonly idToken?: string;
}

export interface SessionsOptions {
  readonly secret: string;
  readonly oidc: OidcClient;
  /** The role of a user from their ID token claims. */
  readonly roleOf: (claims: Readonly<Record<string, unknown>>) => Role | null;
  readonly logger?: Logger;
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * Sessions kept entirely in a sealed cookie (see SealedCookie): there is no store shared by the
 * front's replicas, and any replica can read any browser's session. The access token is
 * refreshed with the refresh token when it is about to expire; a refused refresh ends the session.
 */
export class Sessions {
  private readonly cookie: SealedCookie<SessionData>;

  constructor(private readonly options: SessionsOptions) {
    this.cookie = new SealedCookie<SessionData>(options.secret, 'session');
  }

  /** Reads the session into ctx.state.session (refreshing its access token when due). */
  middleware(): Middleware {
    return async (ctx, next) => {
      ctx.state.session = await this.read(ctx);
      await next();
    };
  }

  /** Starts a session from a sign-in's tokens; returns the user. */
  async start(ctx: Context, tokens: UserTokens): Promise<SessionUser> {
    const claims = tokens.claims ?? {};
    const sub = String(claims.sub ?? '');
    if (!sub) throw new Error('the ID token has no subject');
    const data: SessionData = {
      sub,
      n: displayName(claims, sub),
      role: this.options.roleOf(claims),
      at: tokens.accessToken,
      ate: tokens.accessTokenExpiresAt,
      rt: tokens.refreshToken,
      idt: tokens.idToken,
      end: now() + SESSION_LIFETIME_S,
    };
    await this.write(ctx, data);
    return toSession(data).user;
  }

  /** Forgets the session in this browser. */
  clear(ctx: Context): void {
    ctx.cookies.set(SESSION_COOKIE, null, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', overwrite: true });
    ctx.state.session = undefined;
  }

  private async read(ctx: Context): Promise<Session | undefined> {
    let data = await this.cookie.open(ctx.cookies.get(SESSION_COOKIE));
    if (!data) return undefined;
    if (data.ate - REFRESH_MARGIN_S <= now()) {
      try {
        data = await this.refreshed(data);
        await this.write(ctx, data);
      } catch (error) {
        this.options.logger?.info({ sub: data.sub, err: error instanceof Error ? error.message : String(error) }, 'token refresh refused; session ended');
        this.clear(ctx);
        return undefined;
      }
    }
    return toSession(data);
  }

  private async refreshed(data: SessionData): Promise<SessionData> {
    const tokens = await this.options.oidc.refresh({ accessToken: data.at, accessTokenExpiresAt: data.ate, refreshToken: data.rt, idToken: data.idt });
    // A new ID token (if any) may carry new groups; the subject must stay the same person.
    const claims = tokens.claims;
    if (claims && claims.sub !== data.sub) throw new Error('the refreshed ID token names another subject');
    return {
      ...data,
      n: claims ? displayName(claims, data.sub) : data.n,
      role: claims ? this.options.roleOf(claims) : data.role,
      at: tokens.accessToken,
      ate: tokens.accessTokenExpiresAt,
      rt: tokens.refreshToken,
      idt: tokens.idToken,
    };
  }

  private async write(ctx: Context, data: SessionData): Promise<void> {
    const value = await this.cookie.seal(data, data.end);
    ctx.cookies.set(SESSION_COOKIE, value, {
      httpOnly: true,
      sameSite: 'lax',
      secure: ctx.secure,
      path: '/',
      maxAge: Math.max(0, data.end - now()) * 1000,
      overwrite: true,
    });
  }
}

function displayName(claims: Readonly<Record<string, unknown>>, sub: string): string {
  for (const key of ['name', 'preferred_username', 'email']) {
    const value = claims[key];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 100);
  }
  return sub;
}

function toSession(data: SessionData): Session {
  return {
    user: { sub: data.sub, displayName: data.n, role: data.role },
    accessToken: data.at,
    refreshToken: data.rt,
    idToken: data.idt,
  };
}
