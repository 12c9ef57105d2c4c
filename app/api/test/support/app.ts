// createApp (and the management app) against a given database, with quiet logs, its own
// metrics Registry, and the run's local OpenID provider as issuer.
import type Koa from 'koa';
import pino from 'pino';
import { createApp } from '../../src/app';
import type { Config } from '../../src/config';
import { createDb, dbOptionsFromConfig, type Db } from '../../src/db';
import { createManagementApp } from '../../src/management';
import { createMetrics, type Metrics } from '../../src/metrics';
import type { Lifecycle } from '../../src/system/routes';
import { testAuthConfig } from './oidc';

export interface TestApp {
  readonly app: Koa;
  /** app.callback(), ready for supertest or http.createServer. */
  readonly callback: ReturnType<Koa['callback']>;
  /** The management app's callback (/healthz, /readyz, /metrics), sharing metrics and lifecycle. */
  readonly managementCallback: ReturnType<Koa['callback']>;
  readonly db: Db;
  readonly metrics: Metrics;
  readonly config: Config;
  readonly lifecycle: Lifecycle;
  /** Closes the pool. */
  close(): Promise<void>;
}

export function testConfig(databaseUrl: string, overrides: Partial<Config> = {}): Config {
  return {
    databaseUrl,
    port: 0,
    pgPoolMax: 5,
    pgConnectTimeoutMs: 1000,
    pgStatementTimeoutMs: 5000,
    logLevel: 'silent',
    appVersion: 'test',
    appEnv: 'test',
    shutdownTimeoutMs: 5000,
    jsonBodyLimitBytes: 65_536,
    csvBodyLimitBytes: 32 * 1024 * 1024,
    managementPort: 0,
    ...overrides,
    // The run's local OpenID provider (globalSetup) unless the caller names another.
    auth: overrides.auth ?? testAuthConfig(),
  };
}

export function createTestApp(databaseUrl: string, overrides: Partial<Config> = {}): TestApp {
  const config = testConfig(databaseUrl, overrides);
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? config.logLevel });
  const db = createDb(dbOptionsFromConfig(config, logger));
  const metrics = createMetrics(undefined, { defaultMetrics: false });
  const lifecycle = { shuttingDown: false };
  const app = createApp({ config, db, metrics, logger });
  const management = createManagementApp({ db, metrics, logger, lifecycle });
  return { app, callback: app.callback(), managementCallback: management.callback(), db, metrics, config, lifecycle, close: () => db.close() };
}
