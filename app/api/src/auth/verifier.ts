// Bearer access tokens (JWT, RFC 9068) checked with jose against the issuer's JWKS: signature
// with an allowed algorithm, iss, aud, exp (and nbf) with 2 s of clock tolerance, typ. Keys are
// kept by remote-key-set.ts (downloaded with node:http, matched by jose); an unknown kid
// downloads the set again (at most once per cooldown), so a new key is picked up and a removed
// one stops working after that download.
//
// A verified token's principal is cached (verified-token-cache.ts): an ES256 verification costs
// ~0.4 ms of CPU, more than the rest of a request, and a client sends the same token for
// minutes. An entry never outlives the token's exp, nor the key set it was verified with.
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AuthConfig, Role } from './config';
import { IdentityProviderUnavailable, jwksUriDiscovery } from './discovery';
import type { GetJson } from './get-json';
import { remoteKeySet, type RemoteKeySet } from './remote-key-set';
import { rolesFrom } from './roles';
import { VerifiedTokenCache } from './verified-token-cache';

/** Who is calling: the token's subject and the role its claims map to (none: may do nothing). */
export interface Principal {
  readonly subject: string;
  readonly role: Role | undefined;
  /** `exp` in milliseconds since the epoch. */
  readonly expiresAt: number;
}

/** The token is not acceptable; `description` goes to the client (error_description), never the token. */
export class InvalidToken extends Error {
  constructor(readonly description: string) {
    super(description);
    this.name = 'InvalidToken';
  }
}

export { IdentityProviderUnavailable };

export interface TokenVerifier {
  /**
   * The principal, or throws (rejects with) InvalidToken / IdentityProviderUnavailable. A
   * token verified before comes back at once, not as a promise: most requests then wait for
   * nothing before their route runs.
   */
  verify(token: string): Principal | Promise<Principal>;
}

export const maxSubjectLength = 255;

/** Clock skew allowed on exp/nbf/iat: a few seconds, so an expired token is refused promptly. */
export const clockToleranceSeconds = 2;

// RFC 9068 section 2.1 says `at+jwt`; many providers (Keycloak, Entra ID, Dex) still send `JWT`
// or nothing. Anything else (an ID token marked as such, a logout token, DPoP proof) is refused.
const acceptedTypes = new Set(['at+jwt', 'application/at+jwt', 'jwt']);

export interface TokenVerifierOptions {
  /** Downloads the discovery document and the key set. @default getJson (node:http/https) */
  readonly getJson?: GetJson;
  /** Verified tokens remembered (0 turns the cache off). @default 1000 */
  readonly cacheSize?: number;
}

export function createTokenVerifier(config: AuthConfig, options: TokenVerifierOptions = {}): TokenVerifier {
  const jwksUri = jwksUriDiscovery({ issuer: config.issuer, getJson: options.getJson });
  let keySet: RemoteKeySet | undefined;
  // Counts key set downloads: a cached verification is only good for the set it was made with.
  let keySetGeneration = 0;
  const cache = new VerifiedTokenCache(options.cacheSize ?? 1000);

  // Failures to reach the provider are told apart from a token jose cannot match with a key.
  const getKey: JWTVerifyGetKey = async (header, token) => {
    keySet ??= remoteKeySet(await jwksUri(), {
      cooldownMs: config.jwksCooldownMs,
      timeoutMs: 5000,
      getJson: options.getJson,
      onDownload: () => {
        keySetGeneration += 1;
      },
    });
    try {
      return await keySet.getKey(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported) {
        throw error;
      }
      throw new IdentityProviderUnavailable(`the issuer's key set could not be downloaded: ${(error as Error).message}`, { cause: error });
    }
  };

  return {
    verify(token) {
      return cache.get(token, Date.now(), keySetGeneration, keySet?.fresh === true) ?? verifyAndRemember(token);
    },
  };

  async function verifyAndRemember(token: string): Promise<Principal> {
    // Tagged with the generation from BEFORE the check: if keys were downloaded meanwhile, the
    // entry is already outdated and the next request checks the token again.
    const generation = keySetGeneration;
    const principal = await verifyToken(token);
    cache.set(token, principal, generation);
    return principal;
  }

  async function verifyToken(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, getKey, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: [...config.algorithms],
        clockTolerance: clockToleranceSeconds,
        requiredClaims: ['exp', 'sub'],
        // typ is checked below (jose accepts exactly one value).
      }).then((result) => {
        const typ = result.protectedHeader.typ;
        if (typ !== undefined && !acceptedTypes.has(typ.toLowerCase())) throw new InvalidToken(`a token of type ${JSON.stringify(typ)} is not an access token`);
        return result;
      }));
    } catch (error) {
      if (error instanceof InvalidToken || error instanceof IdentityProviderUnavailable) throw error;
      throw new InvalidToken(describe(error));
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') throw new InvalidToken('the token has no subject (sub)');
    // The subject is stored as the author of changes (created_by / updated_by: 1..255 characters).
    if (payload.sub.length > maxSubjectLength) throw new InvalidToken(`the token's subject is longer than ${maxSubjectLength} characters`);
    const roles = rolesFrom(payload, config);
    const role: Role | undefined = roles.has('editor') ? 'editor' : roles.has('viewer') ? 'viewer' : undefined;
    return { subject: payload.sub, role, expiresAt: (payload.exp as number) * 1000 };
  }
}

/** A short reason for error_description: what was wrong, never a claim's or the token's value. */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return 'the token was issued by another issuer';
      case 'aud':
        return 'the token is not meant for this API (audience)';
      case 'nbf':
        return 'the token is not valid yet';
      case 'iat':
        return 'the token was issued in the future';
      default:
        return `the token's ${error.claim} claim is missing or invalid`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is signed with an algorithm this API does not accept';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is not valid';
  if (error instanceof errors.JWKSNoMatchingKey) return "the token's signing key is not published by the issuer";
  if (error instanceof errors.JWKSMultipleMatchingKeys) return "the token's signing key is ambiguous (several keys match)";
  if (error instanceof errors.JOSENotSupported) return 'the token uses an unsupported algorithm or key';
  return 'the token is malformed';
}
