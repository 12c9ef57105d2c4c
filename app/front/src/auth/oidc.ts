import * as oidc from 'openid-client';
import type { OidcConfig } from '../config';

/** What sign-in keeps between the redirect to the provider and the callback (sealed in a cookie). */
export interface SignInChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Local path to go back to after sign-in. */
  readonly returnTo: string;
}

/** Tokens of one signed-in user, as the session keeps them. */
export interface UserTokens {
  readonly accessToken: string;
  /** Seconds since the epoch. */
  readonly accessTokenExpiresAt: number;
  readonly refreshToken?: string;
  readonly idToken?: string;
  /** The ID token's claims (signature, issuer, audience, nonce checked by openid-client). */
  readonly claims?: Readonly<Record<string, unknown>>;
}

export const SCOPE = 'openid profile offline_access';

/** Access tokens without `expires_in` are refreshed after this many seconds. */
const DEFAULT_ACCESS_TOKEN_TTL_S = 300;

export interface OidcClientOptions extends OidcConfig {
  /** `${PUBLIC_URL}/auth/callback` */
  readonly redirectUri: string;
  /** `${PUBLIC_URL}/` */
  readonly postLogoutRedirectUri: string;
  /** Deadline of each call to the provider, in seconds. @default 10 */
  readonly timeoutS?: number;
}

/**
 * The front as an OpenID Connect relying party, through openid-client (certified): discovery,
 * authorization code + PKCE (S256) with state and nonce, refresh, revocation, RP-initiated
 * logout. Discovery runs on first use and again after a failure, so the front starts (and
 * serves its error pages) while the provider is still unreachable.
 */
export class OidcClient {
  private discovered: Promise<oidc.Configuration> | undefined;
  private origins: readonly string[];

  constructor(private readonly options: OidcClientOptions) {
    this.origins = [new URL(options.issuer).origin];
  }

  /** Origins the browser is sent to (the issuer's, and the logout endpoint's once discovered): CSP form-action. */
  browserOrigins(): readonly string[] {
    return this.origins;
  }

  private configuration(): Promise<oidc.Configuration> {
    if (!this.discovered) {
      const issuer = new URL(this.options.issuer);
      this.discovered = oidc.discovery(issuer, this.options.clientId, undefined, oidc.ClientSecretBasic(this.options.clientSecret), {
        // Plain http is accepted by config only for a provider on localhost (dev and tests).
        execute: issuer.protocol === 'http:' ? [oidc.allowInsecureRequests] : [],
        timeout: this.options.timeoutS ?? 10,
      }).then((config) => {
        const endSession = config.serverMetadata().end_session_endpoint;
        if (endSession) this.origins = [...new Set([...this.origins, new URL(endSession).origin])];
        return config;
      }, (error: unknown) => {
        this.discovered = undefined;
        throw error;
      });
    }
    return this.discovered;
  }

  /** Where to send the browser, and the checks to keep until it comes back. */
  async startSignIn(returnTo: string): Promise<{ url: URL; checks: SignInChecks }> {
    const config = await this.configuration();
    const checks: SignInChecks = {
      state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier(), returnTo,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.options.redirectUri,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
      resource: this.options.apiAudience,
    });
    return { url, checks };
  }

  /** Exchanges the code of the callback URL for tokens, checking state, nonce, PKCE and the ID token. */
  async finishSignIn(callbackUrl: URL, checks: SignInChecks): Promise<UserTokens> {
    const config = await this.configuration();
    const response = await oidc.authorizationCodeGrant(config, callbackUrl, {
      pkceCodeVerifier: checks.codeVerifier,
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      idTokenExpected: true,
    }, { resource: this.options.apiAudience });
    return tokensOf(response);
  }

  /** New tokens from the refresh token; throws when the provider refuses (the session then ends). */
  async refresh(previous: UserTokens): Promise<UserTokens> {
    if (!previous.refreshToken) throw new Error('no refresh token');
    const config = await this.configuration();
    const response = await oidc.refreshTokenGrant(config, previous.refreshToken, { resource: this.options.apiAudience });
    const next = tokensOf(response);
    // Providers may keep the refresh token and send no new ID token: keep the previous ones.
    return {
      ...next,
      refreshToken: next.refreshToken ?? previous.refreshToken,
      idToken: next.idToken ?? previous.idToken,
      claims: next.claims ?? previous.claims,
    };
  }

  /** Revokes the refresh token when the provider advertises revocation; false when it does not. */
  async revoke(refreshToken: string): Promise<boolean> {
    const config = await this.configuration();
    if (!config.serverMetadata().revocation_endpoint) return false;
    await oidc.tokenRevocation(config, refreshToken, { token_type_hint: 'refresh_token' });
    return true;
  }

  /** The provider's logout URL (RP-initiated logout), or undefined when it advertises none. */
  async endSessionUrl(idToken: string | undefined): Promise<URL | undefined> {
    const config = await this.configuration();
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    const parameters: Record<string, string> = { post_logout_redirect_uri: this.options.postLogoutRedirectUri };
    if (idToken) parameters.id_token_hint = idToken;
    else parameters.client_id = this.options.clientId;
    return oidc.buildEndSessionUrl(config, parameters);
  }
}

function tokensOf(response: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers): UserTokens {
  const expiresIn = response.expiresIn() ?? DEFAULT_ACCESS_TOKEN_TTL_S;
  return {
    accessToken: response.access_token,
    accessTokenExpiresAt: Math.floor(Date.now() / 1000) + expiresIn,
    refreshToken: response.refresh_token,
    idToken: response.id_token,
    claims: response.claims() as Record<string, unknown> | undefined,
  };
}
