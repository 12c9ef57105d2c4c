// The environment variables that make the API and the front trust the LOCAL OpenID provider
// (npm run dev, the drills, the container checks, the tests that run the built front): one
// place, so each caller only adds its ports and URLs. Everything else (role claim, anonymous
// reading, TRUST_PROXY) keeps the caller's or the app's default.
import crypto from 'node:crypto';
import { LOCAL_API_AUDIENCE, LOCAL_FRONT_CLIENT, LOCAL_ROLE_CLAIM, LOCAL_ROLE_MAPPING } from './local-identities';

/** The API's sign-in settings for the local provider at `issuer`. */
export function apiSignInEnv(issuer: string): Record<string, string> {
  return { OIDC_ISSUER: issuer, OIDC_AUDIENCE: LOCAL_API_AUDIENCE, OIDC_ROLE_CLAIM: LOCAL_ROLE_CLAIM, OIDC_ROLE_MAPPING: JSON.stringify(LOCAL_ROLE_MAPPING) };
}

/**
 * The front's literal sign-in settings for the local provider; `publicUrl` is where the
 * browser (or the check) reaches the front, `scopes` what the deployment asks for.
 */
export function frontSignInEnv(issuer: string, publicUrl: string, scopes = 'openid profile offline_access'): Record<string, string> {
  return {
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: LOCAL_FRONT_CLIENT.clientId,
    OIDC_API_AUDIENCE: LOCAL_API_AUDIENCE,
    OIDC_ROLE_CLAIM: LOCAL_ROLE_CLAIM,
    OIDC_ROLE_MAPPING: JSON.stringify(LOCAL_ROLE_MAPPING),
    // `ecodata` is the API resource's scope in the local provider.
    OIDC_SCOPES: `${scopes} ecodata`,
    PUBLIC_URL: publicUrl,
  };
}

/** The values the Secret front-oidc holds in a cluster: the local client secret, a fresh session key. */
export function frontSecretValues(): Record<string, string> {
  return { OIDC_CLIENT_SECRET: LOCAL_FRONT_CLIENT.clientSecret, SESSION_SECRET: crypto.randomBytes(32).toString('base64url') };
}
