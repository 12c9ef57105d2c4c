import { z } from 'zod';
import type { Role } from './auth/roles';

/** Everything the front reads from its environment, validated once at start-up. */
export interface Config {
  readonly apiUrl: string;
  /**
   * Where the API answers /healthz and /readyz (its management port), for readiness and the
   * footer's health. @default apiUrl
   */
  readonly apiManagementUrl: string;
  readonly port: number;
  /** Port of the management server (/metrics, /healthz, /readyz), never routed publicly. @default 9090 */
  readonly managementPort: number;
  readonly logLevel: string;
  readonly appVersion: string;
  readonly appEnv: 'dev' | 'test' | 'prod' | 'local';
  /** The external base URL, without trailing slash: redirect URIs are built from it, never from Host. */
  readonly publicUrl: string;
  readonly oidc: OidcConfig;
  /** When true, visitors who are not signed in may read (never write). @default false */
  readonly anonymousRead: boolean;
  /** Keys the session cookie's encryption and the CSRF signatures (shared by every replica). */
  readonly sessionSecret: string;
  /** Believe X-Forwarded-Proto/For (only behind the gateway). @default false */
  readonly trustProxy: boolean;
  readonly shutdownTimeoutMs: number;
  /** Deadline for one call to the API. @default 5000 */
  readonly apiTimeoutMs: number;
  /**
   * Deadline for a CSV import, which may legitimately take minutes: longer than the API's own
   * bound on an import (its COPY timeout, 10 minutes) so the front never gives up on an import
   * the API is still committing. @default 660000
   */
  readonly apiImportTimeoutMs: number;
}

export interface OidcConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Resource indicator (RFC 8707) asked for the API's access token. */
  readonly apiAudience: string;
  /** Claim of the ID token holding the user's groups (a string or an array of strings). @default groups */
  readonly roleClaim: string;
  /** Claim value -> role; values not listed give no role. */
  readonly roleMapping: Readonly<Record<string, Role>>;
}

export const DEFAULT_IMPORT_TIMEOUT_MS = 660_000;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const httpUrl = (name: string, example: string) =>
  z.url({ protocol: /^https?$/, error: `${name} must be an http(s) URL, e.g. ${example}` });

const booleanText = (name: string) =>
  z.enum(['true', 'false'], { error: `${name} must be true or false` }).default('false').transform((v) => v === 'true');

const roleMapping = z.string({ error: 'OIDC_ROLE_MAPPING is required: a JSON object of claim value -> "viewer" | "editor"' })
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'OIDC_ROLE_MAPPING must be JSON, e.g. {"ecodata-editors":"editor"}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), z.enum(['viewer', 'editor'], { error: 'OIDC_ROLE_MAPPING values must be "viewer" or "editor"' }))
    .refine((m) => Object.keys(m).length > 0, 'OIDC_ROLE_MAPPING must map at least one claim value'));

const EnvSchema = z.object({
  API_URL: httpUrl('API_URL', 'http://api:8080'),
  API_MANAGEMENT_URL: httpUrl('API_MANAGEMENT_URL', 'http://api:9090').optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  MANAGEMENT_PORT: z.coerce.number().int().min(0).max(65535).default(9090),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APP_VERSION: z.string().min(1).default('dev'),
  APP_ENV: z.enum(['dev', 'test', 'prod', 'local']).default('local'),
  PUBLIC_URL: httpUrl('PUBLIC_URL', 'https://ecodata.example.org'),
  // https only, except a provider on this machine (the local provider of `npm run dev` and tests).
  OIDC_ISSUER: z.url({ protocol: /^https?$/, error: 'OIDC_ISSUER must be the issuer URL, e.g. https://login.example.org' })
    .refine((u) => new URL(u).protocol === 'https:' || LOOPBACK.has(new URL(u).hostname), 'OIDC_ISSUER must use https (plain http only for a provider on localhost)'),
  OIDC_CLIENT_ID: z.string({ error: 'OIDC_CLIENT_ID is required' }).min(1, 'OIDC_CLIENT_ID is required'),
  OIDC_CLIENT_SECRET: z.string({ error: 'OIDC_CLIENT_SECRET is required (from a Secret)' }).min(1, 'OIDC_CLIENT_SECRET is required (from a Secret)'),
  OIDC_API_AUDIENCE: z.string({ error: 'OIDC_API_AUDIENCE is required (the API\'s resource indicator)' }).min(1),
  OIDC_ROLE_CLAIM: z.string().min(1).default('groups'),
  OIDC_ROLE_MAPPING: roleMapping,
  ANONYMOUS_READ: booleanText('ANONYMOUS_READ'),
  SESSION_SECRET: z.string({ error: 'SESSION_SECRET is required (at least 32 characters, from a Secret)' })
    .min(32, 'SESSION_SECRET must be at least 32 characters'),
  TRUST_PROXY: booleanText('TRUST_PROXY'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  API_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
  API_IMPORT_TIMEOUT_MS: z.coerce.number().int().min(1).default(DEFAULT_IMPORT_TIMEOUT_MS),
}).refine((e) => e.API_IMPORT_TIMEOUT_MS >= e.API_TIMEOUT_MS, {
  path: ['API_IMPORT_TIMEOUT_MS'],
  message: 'API_IMPORT_TIMEOUT_MS must be at least API_TIMEOUT_MS (an import is the slowest call)',
});

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {}

const noSlash = (url: string) => url.replace(/\/+$/, '');

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    apiUrl: noSlash(e.API_URL),
    apiManagementUrl: noSlash(e.API_MANAGEMENT_URL ?? e.API_URL),
    port: e.PORT,
    managementPort: e.MANAGEMENT_PORT,
    logLevel: e.LOG_LEVEL,
    appVersion: e.APP_VERSION,
    appEnv: e.APP_ENV,
    publicUrl: noSlash(e.PUBLIC_URL),
    oidc: {
      issuer: e.OIDC_ISSUER,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      apiAudience: e.OIDC_API_AUDIENCE,
      roleClaim: e.OIDC_ROLE_CLAIM,
      roleMapping: e.OIDC_ROLE_MAPPING,
    },
    anonymousRead: e.ANONYMOUS_READ,
    sessionSecret: e.SESSION_SECRET,
    trustProxy: e.TRUST_PROXY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    apiTimeoutMs: e.API_TIMEOUT_MS,
    apiImportTimeoutMs: e.API_IMPORT_TIMEOUT_MS,
  };
}
