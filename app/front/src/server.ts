// `node build/server.js`: the only place that listens, on two ports: PORT (the pages) and
// MANAGEMENT_PORT (/healthz, /readyz, /metrics; never routed publicly). Handles SIGTERM/SIGINT
// as PID 1: readiness -> 503, stop accepting, let in-flight requests finish, exit, all before
// SHUTDOWN_TIMEOUT_MS.
import http from 'node:http';
import pino from 'pino';
import { Registry } from 'prom-client';
import { createApp } from './app';
import { type Config, ConfigError, loadConfig } from './config';
import { createManagementApp } from './management';

export interface Servers {
  readonly main: http.Server;
  readonly management: http.Server;
}

async function listen(server: http.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', resolve);
  });
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

export async function start(config: Config): Promise<Servers> {
  const logger = pino({ level: config.logLevel, base: { service: 'ecodata-front', version: config.appVersion, env: config.appEnv } });
  let draining = false;
  const registry = new Registry();
  const app = createApp({ config, registry, logger, defaultMetrics: true });
  app.silent = true; // failures are rendered as pages and logged by the app itself
  const callback = app.callback();
  const main = http.createServer((req, res) => {
    // While draining, each response closes its keep-alive connection so clients move on.
    if (draining) res.setHeader('Connection', 'close');
    void callback(req, res);
  });
  main.keepAliveTimeout = 65_000; // longer than typical load balancer idle timeouts
  main.headersTimeout = 66_000;
  main.requestTimeout = 60_000;
  const managementApp = createManagementApp({ config, registry, isDraining: () => draining });
  managementApp.silent = true;
  const management = http.createServer(managementApp.callback());

  const port = await listen(main, config.port);
  const managementPort = await listen(management, config.managementPort);
  logger.info({ port, managementPort, apiUrl: config.apiUrl, publicUrl: config.publicUrl, issuer: config.oidc.issuer }, 'listening');

  const closed = (server: http.Server) => new Promise<void>((resolve) => server.close(() => resolve()));
  const shutdown = (signal: string) => {
    if (draining) return;
    draining = true;
    logger.info({ signal, deadlineMs: config.shutdownTimeoutMs }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed; closing remaining connections');
      main.closeAllConnections();
      management.closeAllConnections();
      process.exit(1);
    }, config.shutdownTimeoutMs);
    deadline.unref();
    // The management server stays up while the pages drain, so probes see "draining" (503).
    void closed(main).then(async () => {
      management.closeAllConnections();
      await closed(management);
      logger.info('stopped');
      clearTimeout(deadline);
      process.exit(0);
    });
    // server.close() waits for open connections; idle keep-alive ones are closed now and as
    // they become idle after their last response.
    main.closeIdleConnections();
    setInterval(() => main.closeIdleConnections(), 100).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return { main, management };
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
