import { z } from 'zod';
import { type AuthConfig, authEnvSchema, authFromEnv } from './auth/config';

/** Everything the service reads from its environment, parsed once at start-up. */
export interface Config {
  /** PostgreSQL connection string (required). */
  readonly databaseUrl: string;
  /** HTTP port, 0.0.0.0. @default 8080 */
  readonly port: number;
  /** Maximum connections in the pg pool. @default 10 */
  readonly pgPoolMax: number;
  /** How long a request waits for a pooled connection before answering 503. @default 2000 */
  readonly pgConnectTimeoutMs: number;
  /** Server-side statement_timeout for every query. @default 5000 */
  readonly pgStatementTimeoutMs: number;
  /** pino level. @default 'info' */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Reported by `GET /`. @default 'dev' */
  readonly appVersion: string;
  /** @default 'local' */
  readonly appEnv: 'dev' | 'test' | 'prod' | 'local';
  /** Deadline for a graceful shutdown; the process exits when it passes. @default 10000 */
  readonly shutdownTimeoutMs: number;
  /** Largest JSON body accepted. @default 65536 */
  readonly jsonBodyLimitBytes: number;
  /** Largest CSV import accepted. @default 33554432 (32 MiB) */
  readonly csvBodyLimitBytes: number;
  /** Port of the management server (/healthz, /readyz, /metrics), 0.0.0.0. @default 9090 */
  readonly managementPort: number;
  /** Bearer-token checks and roles (src/auth/config.ts). */
  readonly auth: AuthConfig;
}

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const envSchema = z.object({
  DATABASE_URL: z
    .string({ error: 'is required (a postgres:// connection string)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL'),
  PORT: integer(0, 65535).default(8080),
  PG_POOL_MAX: integer(1, 1000).default(10),
  PG_CONNECT_TIMEOUT_MS: integer(1, 600_000).default(2000),
  PG_STATEMENT_TIMEOUT_MS: integer(1, 3_600_000).default(5000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APP_VERSION: z.string().min(1).default('dev'),
  APP_ENV: z.enum(['dev', 'test', 'prod', 'local']).default('local'),
  SHUTDOWN_TIMEOUT_MS: integer(1, 3_600_000).default(10_000),
  JSON_BODY_LIMIT_BYTES: integer(1, 1 << 30).default(65_536),
  CSV_BODY_LIMIT_BYTES: integer(1, 1 << 30).default(32 * 1024 * 1024),
  MANAGEMENT_PORT: integer(0, 65535).default(9090),
  ...authEnvSchema,
});

/** Thrown when the environment is unusable; the message lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment (empty strings count as unset) or throws a ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = envSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`));
  }
  const e = result.data;
  if (e.MANAGEMENT_PORT !== 0 && e.MANAGEMENT_PORT === e.PORT) {
    throw new ConfigError([`MANAGEMENT_PORT must differ from PORT (both are ${e.PORT}): metrics and probes are served apart from the application`]);
  }
  return {
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    pgPoolMax: e.PG_POOL_MAX,
    pgConnectTimeoutMs: e.PG_CONNECT_TIMEOUT_MS,
    pgStatementTimeoutMs: e.PG_STATEMENT_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    appVersion: e.APP_VERSION,
    appEnv: e.APP_ENV,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    jsonBodyLimitBytes: e.JSON_BODY_LIMIT_BYTES,
    csvBodyLimitBytes: e.CSV_BODY_LIMIT_BYTES,
    managementPort: e.MANAGEMENT_PORT,
    auth: authFromEnv(e),
  };
}
