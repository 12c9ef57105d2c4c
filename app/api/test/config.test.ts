import { ConfigError, loadConfig } from '../src/config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' })).toEqual({
      databaseUrl: 'postgres://u@h/db',
      port: 8080,
      pgPoolMax: 10,
      pgConnectTimeoutMs: 2000,
      pgStatementTimeoutMs: 5000,
      logLevel: 'info',
      appVersion: 'dev',
      appEnv: 'local',
      shutdownTimeoutMs: 10000,
      jsonBodyLimitBytes: 65536,
      csvBodyLimitBytes: 33554432,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@h/db',
      PORT: '9000',
      PG_POOL_MAX: '3',
      LOG_LEVEL: 'debug',
      APP_VERSION: '1.2.3',
      APP_ENV: 'prod',
      SHUTDOWN_TIMEOUT_MS: '2500',
    });
    expect(config).toMatchObject({ port: 9000, pgPoolMax: 3, logLevel: 'debug', appVersion: '1.2.3', appEnv: 'prod', shutdownTimeoutMs: 2500 });
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '80a', PG_POOL_MAX: '0', APP_ENV: 'staging', LOG_LEVEL: '' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('DATABASE_URL is required');
    expect(message).toContain('PORT must be a whole number');
    expect(message).toContain('PG_POOL_MAX');
    expect(message).toContain('APP_ENV');
    expect(message).not.toContain('LOG_LEVEL');
  });

  it('rejects a DATABASE_URL that is not a postgres URL', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow('DATABASE_URL must be a postgres:// or postgresql:// URL');
  });
});
