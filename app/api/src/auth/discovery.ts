// The issuer's JWKS address from its OpenID discovery document, fetched lazily: the API starts
// and answers readiness while the provider is down; requests that need a token check answer
// 503 until discovery succeeds (retried on demand, at most once a second).
import { getJson as defaultGetJson, type GetJson } from './get-json';

/** The provider cannot be asked right now (discovery or JWKS download failed). */
export class IdentityProviderUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IdentityProviderUnavailable';
  }
}

export interface DiscoveryOptions {
  readonly issuer: string;
  /** @default 5000 */
  readonly timeoutMs?: number;
  /** After a failure, later calls fail at once for this long instead of asking again. @default 1000 */
  readonly retryAfterMs?: number;
  /** @default getJson (node:http/https) */
  readonly getJson?: GetJson;
}

/** Returns a function resolving the jwks_uri; one request in flight, the answer kept for good. */
export function jwksUriDiscovery(options: DiscoveryOptions): () => Promise<URL> {
  const get = options.getJson ?? defaultGetJson;
  const timeoutMs = options.timeoutMs ?? 5000;
  const retryAfterMs = options.retryAfterMs ?? 1000;
  let found: URL | undefined;
  let pending: Promise<URL> | undefined;
  let failure: { at: number; error: IdentityProviderUnavailable } | undefined;

  const discover = async (): Promise<URL> => {
    const url = `${options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const answer = await get(new URL(url), { timeoutMs, accept: 'application/json' });
      if (answer.status !== 200) throw new Error(`HTTP ${answer.status}`);
      if (answer.body === null || typeof answer.body !== 'object') throw new Error('the document is not a JSON object');
      document = answer.body as typeof document;
    } catch (error) {
      throw new IdentityProviderUnavailable(`OpenID discovery at ${url} failed: ${(error as Error).message}`, { cause: error });
    }
    // OpenID Connect Discovery 1.0 section 4.3: the document must name the issuer asked for.
    if (document.issuer !== options.issuer) {
      throw new IdentityProviderUnavailable(`OpenID discovery at ${url} names issuer ${JSON.stringify(document.issuer)}, not OIDC_ISSUER ${options.issuer}`);
    }
    if (typeof document.jwks_uri !== 'string' || !URL.canParse(document.jwks_uri)) {
      throw new IdentityProviderUnavailable(`OpenID discovery at ${url} has no valid jwks_uri`);
    }
    return new URL(document.jwks_uri);
  };

  return async () => {
    if (found) return found;
    if (failure && Date.now() - failure.at < retryAfterMs) throw failure.error;
    pending ??= discover().then(
      (uri) => {
        found = uri;
        failure = undefined;
        return uri;
      },
      (error: IdentityProviderUnavailable) => {
        failure = { at: Date.now(), error };
        throw error;
      },
    );
    try {
      return await pending;
    } finally {
      pending = undefined;
    }
  };
}
