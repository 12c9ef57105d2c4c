// The real system for end-to-end tests: a PostgreSQL server (the API's test harness: a
// throwaway cluster, or DATABASE_URL), a freshly migrated database, the API's createApp and
// the front's createApp, each on its own HTTP port of 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { createTestApp, createTestDatabase, startPostgres } from '../../../api/test/support';
import { createApp } from '../../src/app';

export interface Stack {
  readonly frontUrl: string;
  readonly apiUrl: string;
  /** The API's database, for tests that hold locks or count rows behind the API's back. */
  readonly databaseUrl: string;
  /** Stops the API server (connections cut), so the front sees it down. */
  stopApi(): Promise<void>;
  stop(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function close(server: http.Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  await closed;
}

export interface StackOptions {
  /** The front's deadline for one API call. @default 3000 */
  readonly apiTimeoutMs?: number;
  /** The front's deadline for a CSV import. @default 10000 */
  readonly apiImportTimeoutMs?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const postgres = await startPostgres();
  const database = await createTestDatabase(postgres.url);
  const api = createTestApp(database.url, { appVersion: 'api-e2e' });
  const apiServer = await listen(api.callback);
  const front = createApp({
    config: {
      apiUrl: apiServer.url,
      apiTimeoutMs: options.apiTimeoutMs ?? 3000,
      apiImportTimeoutMs: options.apiImportTimeoutMs ?? 10_000,
      appVersion: 'front-e2e',
      appEnv: 'test',
      csrfSecret: undefined,
    },
    registry: new Registry(),
    statusTtlMs: 0,
  });
  const frontServer = await listen(front.callback());
  let apiStopped = false;
  const stopApi = async () => {
    if (apiStopped) return;
    apiStopped = true;
    await close(apiServer.server);
    await api.close();
  };
  return {
    frontUrl: frontServer.url,
    apiUrl: apiServer.url,
    databaseUrl: database.url,
    stopApi,
    stop: async () => {
      await close(frontServer.server);
      await stopApi();
      await database.drop();
      await postgres.stop();
      // The API harness bundles its migrate command with esbuild, whose service process would
      // otherwise keep the test worker alive.
      (await import('esbuild')).stop();
    },
  };
}
