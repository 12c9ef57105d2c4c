// `node build/server.js`: the only place that listens: the application on PORT, probes and
// metrics on MANAGEMENT_PORT. Handles SIGTERM/SIGINT as PID 1: readiness -> 503, stop
// accepting on both ports, let in-flight requests finish, close the pool, exit, all before
// SHUTDOWN_TIMEOUT_MS.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { createDb, dbOptionsFromConfig } from './db';
import { answerClientError } from './http/client-error';
import { createLogger } from './logger';
import { createManagementApp } from './management';
import { createMetrics } from './metrics';
import { mapStack } from './stack-map';

export async function start(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel, { service: 'ecodata-api', version: config.appVersion, env: config.appEnv });
  // Node still prints the crash and exits 1; this adds the stack in src/*.ts positions.
  process.on('uncaughtExceptionMonitor', (error) => logger.fatal({ err: error }, 'uncaught exception'));
  const db = createDb(dbOptionsFromConfig(config, logger));
  const lifecycle = { shuttingDown: false };
  const metrics = createMetrics();
  const server = listener(createApp({ config, db, metrics, logger }).callback(), lifecycle);
  const management = listener(createManagementApp({ db, metrics, logger, lifecycle }).callback(), lifecycle);
  const servers = [server, management];

  await listen(server, config.port);
  await listen(management, config.managementPort);
  logger.info({ port: port(server), managementPort: port(management), issuer: config.auth.issuer, audience: config.auth.audience }, 'listening');

  const shutdown = (signal: string) => {
    if (lifecycle.shuttingDown) return;
    lifecycle.shuttingDown = true;
    logger.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; closing remaining connections');
      for (const each of servers) each.closeAllConnections();
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    // The management port closes with the application port: probes see readiness 503 until
    // it stops accepting, then nothing, which is what a terminating pod should show.
    Promise.all(servers.map((each) => new Promise((resolve) => each.close(resolve)))).then(() => {
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
    const closeIdle = () => {
      for (const each of servers) each.closeIdleConnections();
    };
    closeIdle();
    const sweep = setInterval(closeIdle, 100);
    sweep.unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

function listener(callback: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>, lifecycle: { shuttingDown: boolean }): http.Server {
  const server = http.createServer((req, res) => {
    // While draining, each response closes its keep-alive connection so clients move on.
    if (lifecycle.shuttingDown) res.setHeader('Connection', 'close');
    void callback(req, res);
  });
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 65_000; // longer than typical load balancer idle timeouts
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;
  return server;
}

function listen(server: http.Server, portNumber: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(portNumber, '0.0.0.0', resolve);
  });
}

const port = (server: http.Server) => (server.address() as AddressInfo).port;

if (require.main === module) {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(2);
  }
  start(config).catch((error: unknown) => {
    console.error('failed to start:', error instanceof Error && error.stack ? mapStack(error.stack) : error);
    process.exit(1);
  });
}
