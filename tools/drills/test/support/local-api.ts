// The real API (its production server bundle, as a process) on a real PostgreSQL, trusting a
// real local OpenID provider (tools/oidc), for the drills to talk to over HTTP; optionally the
// real front as a process in front of it.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildCommands, commandEnv, createTestDatabase, freePort, startPostgres, type PostgresServer, type TestDatabase } from '../../../../app/api/test/support';
import { apiSignInEnv, frontSecretValues, frontSignInEnv } from '../../../oidc/local-sign-in-env';
import { startLocalOidcProvider, type LocalOidcProvider } from '../../../oidc/local-provider';
import { buildFront } from '../../src/resilience/build';
import { ServiceProcess, waitForOk } from '../../src/resilience/processes';
import { repositoryRoot } from '../../src/resilience/repo';

export interface LocalApi {
  readonly url: string;
  /** The management port's base URL (/healthz, /readyz, /metrics). */
  readonly managementUrl: string;
  /** An editor's access token (the station-uploader machine client). */
  readonly token: string;
  /** The local OpenID provider the API trusts. */
  readonly issuer: string;
  /** Rows currently in the measurements table. */
  count(): Promise<number>;
  stop(): Promise<void>;
}

async function listen(handler: http.RequestListener): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface ApiProcess {
  readonly url: string;
  readonly managementUrl: string;
  readonly token: string;
  readonly process: ServiceProcess;
  readonly provider: LocalOidcProvider;
}

/** Starts a local OpenID provider and the API's real server bundle (built once per test process) as a child process. */
async function startApiProcess(databaseUrl: string, extraEnv: NodeJS.ProcessEnv = {}, frontPort?: number): Promise<ApiProcess> {
  const dir = await buildCommands();
  const frontUrl = frontPort === undefined ? undefined : `http://127.0.0.1:${frontPort}`;
  const provider = await startLocalOidcProvider(frontUrl ? { frontRedirectUris: [`${frontUrl}/auth/callback`], frontPostLogoutRedirectUris: [`${frontUrl}/`] } : {});
  const [port, managementPort] = [await freePort(), await freePort()];
  const env = commandEnv({
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    MANAGEMENT_PORT: String(managementPort),
    ...apiSignInEnv(provider.issuer),
    LOG_LEVEL: 'silent',
    ...extraEnv,
  });
  const api = new ServiceProcess('api', path.join(dir, 'server.js'), env, path.join(dir, `api-${port}.log`));
  api.start();
  const url = `http://127.0.0.1:${port}`;
  const managementUrl = `http://127.0.0.1:${managementPort}`;
  try {
    await waitForOk(`${managementUrl}/healthz`, 30_000, () => api.alive);
  } catch (error) {
    await api.kill('SIGKILL');
    await provider.stop();
    throw new Error(`the API did not start: ${(error as Error).message}\n${api.logTail()}`, { cause: error });
  }
  return { url, managementUrl, token: await provider.machineToken('station-uploader'), process: api, provider };
}

/** Forwards every request to `target` after `alter` has changed it: a deliberately broken hop. */
async function alteringForwarder(target: string, alter: (req: http.IncomingMessage) => void): Promise<{ server: http.Server; url: string }> {
  const { host, port } = new URL(target);
  return listen((req, res) => {
    alter(req);
    const upstream = http.request({ host: host.split(':')[0], port, method: req.method, path: req.url, headers: req.headers }, (response) => {
      res.writeHead(response.statusCode ?? 502, response.headers);
      response.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
}

/**
 * Starts the API (its real server process) on a fresh migrated database. `alter` may change
 * each request on the way in, to prove that a drill notices a broken API; `frontPort`: where
 * a front will listen (its redirect URI is registered at the provider). A process rather
 * than createApp inside jest: jest's separate globals defeat the API's `instanceof Error`
 * checks, and each export leaves a long pg query timer pending that would hold jest open.
 */
export async function startLocalApi(options: { alter?: (req: http.IncomingMessage) => void; frontPort?: number } = {}): Promise<LocalApi> {
  const postgres: PostgresServer = await startPostgres();
  const database: TestDatabase = await createTestDatabase(postgres.url);
  const api = await startApiProcess(database.url, {}, options.frontPort);
  const forwarder = options.alter ? await alteringForwarder(api.url, options.alter) : undefined;
  return {
    url: forwarder?.url ?? api.url,
    managementUrl: api.managementUrl,
    token: api.token,
    issuer: api.provider.issuer,
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
      if (forwarder) {
        const closed = new Promise((resolve) => forwarder.server.close(resolve));
        forwarder.server.closeAllConnections();
        await closed;
      }
      await api.process.kill('SIGTERM');
      await api.provider.stop();
      await database.drop();
      await postgres.stop();
    },
  };
}

/** The API's real server process with a database that is not there (a closed port): alive, never ready. */
export async function startApiWithoutDatabase(): Promise<{ url: string; managementUrl: string; token: string; stop(): Promise<void> }> {
  const api = await startApiProcess(`postgres://postgres@127.0.0.1:${await freePort()}/missing`, { PG_CONNECT_TIMEOUT_MS: '500' });
  return {
    url: api.url,
    managementUrl: api.managementUrl,
    token: api.token,
    stop: async () => {
      await api.process.kill('SIGKILL');
      await api.provider.stop();
    },
  };
}

/**
 * The real front (its production bundle) as a process in front of `api`, signing people in at
 * the API's provider. The provider must list `<front url>/auth/callback`: the caller reserves
 * the port (`freePort()`) and starts the provider with it.
 */
export async function startFront(api: LocalApi, port: number): Promise<{ url: string; managementUrl: string; stop(): Promise<void> }> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-drills-front-'));
  const server = await buildFront(repositoryRoot(), workDir);
  const url = `http://127.0.0.1:${port}`;
  const managementUrl = `http://127.0.0.1:${await freePort()}`;
  const front = new ServiceProcess('front', server, {
    ...process.env,
    API_URL: api.url,
    API_MANAGEMENT_URL: api.managementUrl,
    PORT: String(port),
    MANAGEMENT_PORT: new URL(managementUrl).port,
    ...frontSignInEnv(api.issuer, url),
    ...frontSecretValues(),
    LOG_LEVEL: 'warn',
    APP_ENV: 'test',
  }, path.join(workDir, 'front.log'));
  front.start();
  try {
    await waitForOk(`${managementUrl}/readyz`, 30_000, () => front.alive);
  } catch (error) {
    await front.kill('SIGKILL');
    throw new Error(`the front did not start: ${(error as Error).message}\n${front.logTail()}`, { cause: error });
  }
  return {
    url,
    managementUrl,
    stop: async () => {
      await front.kill('SIGTERM');
      fs.rmSync(workDir, { recursive: true, force: true });
    },
  };
}
