import { z } from 'zod';

/** Everything the front reads from its environment, validated once at start-up. */
export interface Config {
  readonly apiUrl: string;
  readonly port: number;
  readonly logLevel: string;
  readonly appVersion: string;
  readonly appEnv: 'dev' | 'test' | 'prod' | 'local';
  /** Secret that signs CSRF tokens; random per process when not given. */
  readonly csrfSecret: string | undefined;
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

export const DEFAULT_IMPORT_TIMEOUT_MS = 660_000;

const EnvSchema = z.object({
  API_URL: z.url({ protocol: /^https?$/, error: 'API_URL must be an http(s) URL, e.g. http://api:8080' }),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APP_VERSION: z.string().min(1).default('dev'),
  APP_ENV: z.enum(['dev', 'test', 'prod', 'local']).default('local'),
  CSRF_SECRET: z.string().min(32, 'CSRF_SECRET must be at least 32 characters').optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  API_TIMEOUT_MS: z.coerce.number().int().min(1).default(5_000),
  API_IMPORT_TIMEOUT_MS: z.coerce.number().int().min(1).default(DEFAULT_IMPORT_TIMEOUT_MS),
}).refine((e) => e.API_IMPORT_TIMEOUT_MS >= e.API_TIMEOUT_MS, {
  path: ['API_IMPORT_TIMEOUT_MS'],
  message: 'API_IMPORT_TIMEOUT_MS must be at least API_TIMEOUT_MS (an import is the slowest call)',
});

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  return {
    apiUrl: e.API_URL.replace(/\/+$/, ''),
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    appVersion: e.APP_VERSION,
    appEnv: e.APP_ENV,
    csrfSecret: e.CSRF_SECRET,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    apiTimeoutMs: e.API_TIMEOUT_MS,
    apiImportTimeoutMs: e.API_IMPORT_TIMEOUT_MS,
  };
}
