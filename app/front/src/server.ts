// `node build/server.js`: the only place that listens. Handles SIGTERM/SIGINT as PID 1:
// readiness -> 503, stop accepting, let in-flight requests finish, exit, all before
// SHUTDOWN_TIMEOUT_MS.
import http from 'node:http';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createApp } from './app';
import { type Config, ConfigError, loadConfig } from './config';

export async function start(config: Config): Promise<http.Server> {
  const logger = pino({ level: config.logLevel, base: { service: 'ecodata-front', version: config.appVersion, env: config.appEnv } });
  let draining = false;
  const app = createApp({ config, registry: new Registry(), logger, isDraining: () => draining, defaultMetrics: true });
  app.silent = true; // failures are rendered as pages and logged by the app itself
  const callback = app.callback();
  const server = http.createServer((req, res) => {
    // While draining, each response closes its keep-alive connection so clients move on.
    if (draining) res.setHeader('Connection', 'close');
    void callback(req, res);
  });
  server.keepAliveTimeout = 65_000; // longer than typical load balancer idle timeouts
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, '0.0.0.0', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, apiUrl: config.apiUrl }, 'listening');

  const shutdown = (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; closing remaining connections');
      server.closeAllConnections();
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    server.close(() => {
      logger.info('stopped');
      clearTimeout(deadline);
      process.exit(0);
    });
    // server.close() waits for open connections; idle keep-alive ones are closed now and as
    // they become idle after their last response.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 100).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return server;
}

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(2);
  }
  start(config).catch((error: unknown) => {
    console.error('failed to start:', error);
    process.exit(1);
  });
}
