// The bearer-token settings of the environment (names shared with the front: OIDC_*,
// ANONYMOUS_READ), parsed with the rest of config.ts so every bad variable is listed at once.
import { z } from 'zod';

export type Role = 'viewer' | 'editor';

/** Asymmetric JWS algorithms jose verifies; `none` and the HMAC ones (HS*) are never allowed. */
export const supportedAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
export type Algorithm = (typeof supportedAlgorithms)[number];

export interface AuthConfig {
  /** OIDC_ISSUER: the provider's issuer URL, compared exactly with `iss` (required; https, or http on a loopback host). */
  readonly issuer: string;
  /** OIDC_AUDIENCE: the value `aud` must contain, the API's resource indicator (required). */
  readonly audience: string;
  /** OIDC_ROLE_CLAIM: claim holding the caller's groups or roles (a string or an array of strings). @default 'groups' */
  readonly roleClaim: string;
  /** OIDC_ROLE_MAPPING: claim value -> role, a JSON object (required). */
  readonly roleMapping: Readonly<Record<string, Role>>;
  /** OIDC_ALGORITHMS: signature algorithms accepted. @default ['RS256', 'PS256', 'ES256'] */
  readonly algorithms: readonly Algorithm[];
  /** ANONYMOUS_READ: a request without an Authorization header may read. @default false */
  readonly anonymousRead: boolean;
  /** OIDC_JWKS_COOLDOWN_MS: least time between two JWKS downloads caused by an unknown `kid`. @default 30000 */
  readonly jwksCooldownMs: number;
}

const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);

const issuer = z
  .string({ error: 'is required (the OpenID provider issuer URL, e.g. https://login.example.com/realms/ecodata)' })
  .refine((value) => URL.canParse(value), 'must be a URL')
  .refine((value) => {
    if (!URL.canParse(value)) return true; // reported by the check above
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback.has(url.hostname));
  }, 'must be an https:// URL (http:// only on localhost, for the local provider)')
  // The issuer is compared character for character with `iss`; a trailing slash is part of it.
  .refine((value) => !/[?#]/.test(value), 'must not have a query or fragment');

const roleMapping = z
  .string({ error: 'is required (a JSON object such as {"ecodata-editors":"editor","ecodata-viewers":"viewer"})' })
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be a JSON object such as {"ecodata-editors":"editor"}' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .record(z.string().min(1), z.enum(['viewer', 'editor'], { error: 'must map to "viewer" or "editor"' }), {
        error: 'must be a JSON object of claim value -> "viewer" | "editor"',
      })
      .refine((mapping) => Object.keys(mapping).length > 0, 'must map at least one claim value to a role'),
  );

const algorithms = z
  .string()
  .transform((value) => value.split(',').map((name) => name.trim()).filter(Boolean))
  .superRefine((names, ctx) => {
    if (names.length === 0) ctx.addIssue({ code: 'custom', message: 'must name at least one algorithm' });
    for (const name of names) {
      if (name.toLowerCase() === 'none' || /^HS/i.test(name)) {
        ctx.addIssue({ code: 'custom', message: `must not include ${name}: unsigned and shared-secret (HMAC) tokens are refused` });
      } else if (!(supportedAlgorithms as readonly string[]).includes(name)) {
        ctx.addIssue({ code: 'custom', message: `has unknown algorithm ${name} (supported: ${supportedAlgorithms.join(', ')})` });
      }
    }
  })
  .transform((names) => [...new Set(names)] as Algorithm[]);

const boolean = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

/** Merged into config.ts's environment schema. */
export const authEnvSchema = {
  OIDC_ISSUER: issuer,
  OIDC_AUDIENCE: z.string({ error: 'is required (the audience of the API\'s access tokens, e.g. https://api.ecodata.example.com)' }).min(1),
  OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
  OIDC_ROLE_MAPPING: roleMapping,
  OIDC_ALGORITHMS: algorithms.default(['RS256', 'PS256', 'ES256']),
  ANONYMOUS_READ: boolean.default(false),
  OIDC_JWKS_COOLDOWN_MS: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(0).max(3_600_000))
    .default(30_000),
};

type AuthEnv = { [K in keyof typeof authEnvSchema]: z.output<(typeof authEnvSchema)[K]> };

export function authFromEnv(e: AuthEnv): AuthConfig {
  return {
    issuer: e.OIDC_ISSUER,
    audience: e.OIDC_AUDIENCE,
    roleClaim: e.OIDC_ROLE_CLAIM,
    roleMapping: e.OIDC_ROLE_MAPPING,
    algorithms: e.OIDC_ALGORITHMS,
    anonymousRead: e.ANONYMOUS_READ,
    jwksCooldownMs: e.OIDC_JWKS_COOLDOWN_MS,
  };
}
