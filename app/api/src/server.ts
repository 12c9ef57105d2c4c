// `node build/server.js`: the only place that listens. Handles SIGTERM/SIGINT as PID 1:
// readiness -> 503, stop accepting, let in-flight requests finish, close the pool, exit,
// all before SHUTDOWN_TIMEOUT_MS.
import http from 'node:http';
import pino from 'pino';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { createDb, dbOptionsFromConfig } from './db';
import { answerClientError } from './http/client-error';
import { createMetrics } from './metrics';

export async function start(config: Config): Promise<void> {
  const logger = pino({ level: config.logLevel, base: { service: 'ecodata-api', version: config.appVersion, env: config.appEnv } });
  const db = createDb(dbOptionsFromConfig(config, logger));
  const lifecycle = { shuttingDown: false };
  const app = createApp({ config, db, metrics: createMetrics(), logger, lifecycle });
  const callback = app.callback();
  const server = http.createServer((req, res) => {
    // While draining, each response closes its keep-alive connection so clients move on.
    if (lifecycle.shuttingDown) res.setHeader('Connection', 'close');
    void callback(req, res);
  });
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 65_000; // longer than typical load balancer idle timeouts
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '0.0.0.0', resolve);
  });
  logger.info({ port: config.port }, 'listening');

  const shutdown = (signal: string) => {
    if (lifecycle.shuttingDown) return;
    lifecycle.shuttingDown = true;
    logger.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; closing remaining connections');
      server.closeAllConnections();
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    server.close(() => {
      db.close()
        .catch((error: unknown) => logger.error({ err: error }, 'closing the pool failed'))
        .finally(() => {
          logger.info('stopped');
          clearTimeout(deadline);
          process.exit(0);
        });
    });
    // server.close() waits for open connections; idle keep-alive ones are closed now and as
    // they become idle after their last response.
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(2);
  }
  start(config).catch((error: unknown) => {
    console.error('failed to start:', error);
    process.exit(1);
  });
}
