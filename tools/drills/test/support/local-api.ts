// The real API (createApp with its pool) on a real PostgreSQL, listening on 127.0.0.1, for
// the drills to talk to over HTTP; optionally the real front as a process in front of it.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildCommands, commandEnv, createTestApp, createTestDatabase, freePort, startPostgres, type PostgresServer, type TestApp, type TestDatabase } from '../../../../app/api/test/support';
import { buildFront } from '../../src/resilience/build';
import { ServiceProcess, waitForOk } from '../../src/resilience/processes';
import { repositoryRoot } from '../../src/resilience/repo';

export interface LocalApi {
  readonly url: string;
  /** Rows currently in the measurements table. */
  count(): Promise<number>;
  stop(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Starts the API on a fresh migrated database. `wrap` may put a faulty layer around the
 * request handler (to prove that a drill notices a broken API).
 */
export async function startLocalApi(options: { wrap?: (handler: http.RequestListener) => http.RequestListener } = {}): Promise<LocalApi> {
  const postgres: PostgresServer = await startPostgres();
  const database: TestDatabase = await createTestDatabase(postgres.url);
  const api: TestApp = createTestApp(database.url, { pgPoolMax: 10 });
  const handler: http.RequestListener = (req, res) => void api.callback(req, res);
  const { server, url } = await listen(options.wrap ? options.wrap(handler) : handler);
  return {
    url,
    count: async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM measurements')).rows[0]?.n);
      } finally {
        await client.end();
      }
    },
    stop: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
      await api.close();
      await database.drop();
      await postgres.stop();
    },
  };
}

/**
 * The API's real server process with a database that is not there (a closed port): alive,
 * never ready. A process, not createApp in jest: jest's separate globals make the API's
 * `instanceof Error` checks miss Node's own errors, which would turn its 503 into a 500.
 */
export async function startApiWithoutDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = await buildCommands();
  const port = await freePort();
  const env = commandEnv({ DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/missing`, PORT: String(port), PG_CONNECT_TIMEOUT_MS: '500', LOG_LEVEL: 'silent' });
  const api = new ServiceProcess('api', path.join(dir, 'server.js'), env, path.join(dir, `api-${port}.log`));
  api.start();
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/healthz`, 30_000, () => api.alive);
  return { url, stop: () => api.kill('SIGKILL') };
}

/** The real front (its production bundle) as a process talking to `apiUrl`. */
export async function startFront(apiUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-drills-front-'));
  const server = await buildFront(repositoryRoot(), workDir);
  const port = await freePort();
  const front = new ServiceProcess('front', server, { ...process.env, API_URL: apiUrl, PORT: String(port), LOG_LEVEL: 'warn', APP_ENV: 'test' }, path.join(workDir, 'front.log'));
  front.start();
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForOk(`${url}/readyz`, 30_000, () => front.alive);
  } catch (error) {
    await front.kill('SIGKILL');
    throw new Error(`the front did not start: ${(error as Error).message}\n${front.logTail()}`);
  }
  return {
    url,
    stop: async () => {
      await front.kill('SIGTERM');
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}
