// The synthesized pods trust the environment's identity provider; here they trust the LOCAL
// OpenID provider instead (tools/oidc), which these checks start: the literal env values and
// Secret values that differ, and nothing else (role claim, anonymous reading and TRUST_PROXY
// stay as synthesized).
import crypto from 'node:crypto';
import { LOCAL_API_AUDIENCE, LOCAL_FRONT_CLIENT, LOCAL_ROLE_MAPPING } from '../../oidc/local-identities';

export function apiSignInEnv(issuer: string): Record<string, string> {
  return { OIDC_ISSUER: issuer, OIDC_AUDIENCE: LOCAL_API_AUDIENCE, OIDC_ROLE_MAPPING: JSON.stringify(LOCAL_ROLE_MAPPING) };
}

/** Literal env of the front for the local provider; `publicUrl` is where the checks reach it. */
export function frontSignInEnv(issuer: string, publicUrl: string, synthesizedScopes: string): Record<string, string> {
  return {
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: LOCAL_FRONT_CLIENT.clientId,
    OIDC_API_AUDIENCE: LOCAL_API_AUDIENCE,
    OIDC_ROLE_MAPPING: JSON.stringify(LOCAL_ROLE_MAPPING),
    // `ecodata` is the API resource's scope in the local provider.
    OIDC_SCOPES: `${synthesizedScopes} ecodata`,
    PUBLIC_URL: publicUrl,
  };
}

/** Values of the front's secretKeyRef env (Secret front-oidc in the cluster). */
export function frontSecretValues(): Record<string, string> {
  return { OIDC_CLIENT_SECRET: LOCAL_FRONT_CLIENT.clientSecret, SESSION_SECRET: crypto.randomBytes(32).toString('base64url') };
}
