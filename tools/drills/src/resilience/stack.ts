// The local system the resilience drill attacks: a throwaway PostgreSQL (the API test
// harness's startPostgres), restarted with durable settings and migrated by the real migrate
// command; the local OpenID provider (tools/oidc) the APIs trust; N API processes (the real
// server bundle) behind the round-robin proxy, which follows their management port's
// readiness; the front process pointed at the proxy.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { freePort, startPostgres, type PostgresServer } from '../../../../app/api/test/support/postgres';
import { FormClient } from '../../../containers/src/front-crud';
import { apiSignInEnv, frontSecretValues, frontSignInEnv } from '../../../oidc/local-sign-in-env';
import { startLocalOidcProvider } from '../../../oidc/local-provider';
import { buildCommands } from './build';
import { postgresControl, type PostgresControl } from './postgres-control';
import { ServiceProcess, waitForOk } from './processes';
import { RoundRobinProxy } from './proxy';
import { repositoryRoot } from './repo';

export interface ApiInstance {
  readonly process: ServiceProcess;
  readonly url: string;
  /** /healthz, /readyz, /metrics. */
  readonly managementUrl: string;
}

export interface Stack {
  readonly databaseUrl: string;
  readonly postgres: PostgresControl;
  readonly apis: readonly ApiInstance[];
  readonly proxy: RoundRobinProxy;
  /** The API as clients see it: through the proxy. */
  readonly apiUrl: string;
  /** `Authorization: Bearer <token>` of the local provider's station-uploader (an editor; lives 10 minutes). */
  readonly apiHeaders: Readonly<Record<string, string>>;
  readonly frontUrl: string | undefined;
  /** The Cookie of the local viewer, signed in to the front through the provider's login form. */
  readonly frontHeaders: Readonly<Record<string, string>>;
  readonly front: ServiceProcess | undefined;
  readonly workDir: string;
  stop(): Promise<void>;
}

export interface StackOptions {
  readonly apiProcesses: number;
  readonly withFront: boolean;
  readonly log: (line: string) => void;
}

const START_TIMEOUT_MS = 30_000;

export async function startStack(options: StackOptions): Promise<Stack> {
  const root = repositoryRoot();
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-resilience-'));
  const cleanUps: (() => Promise<void>)[] = [async () => fs.rmSync(workDir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanUp of cleanUps.reverse()) await cleanUp().catch(() => undefined);
    cleanUps.length = 0;
  };
  try {
    const builds = await buildCommands(root, workDir, options.withFront);
    options.log(`built the API${builds.frontServer ? ' and the front' : ''} into ${workDir}`);

    // Always a cluster of its own (it gets restarted): an external DATABASE_URL is not used.
    const external = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    let server: PostgresServer;
    try {
      server = await startPostgres();
    } finally {
      if (external !== undefined) process.env.DATABASE_URL = external;
    }
    cleanUps.push(() => server.stop());
    const postgres = await postgresControl(server.url);
    await postgres.restart('fast');
    options.log(`PostgreSQL on port ${postgres.port}, data in ${postgres.dataDir} (restarted with fsync, synchronous_commit and full_page_writes on)`);

    // The front's address is its redirect URI at the provider: chosen before the provider starts.
    const frontPort = builds.frontServer ? await freePort() : undefined;
    const frontUrl = frontPort === undefined ? undefined : `http://127.0.0.1:${frontPort}`;
    const provider = await startLocalOidcProvider({
      frontRedirectUris: frontUrl ? [`${frontUrl}/auth/callback`] : [],
      frontPostLogoutRedirectUris: frontUrl ? [`${frontUrl}/`] : [],
    });
    cleanUps.push(() => provider.stop());
    const apiHeaders = { Authorization: `Bearer ${await provider.machineToken('station-uploader')}` };
    options.log(`local OpenID provider ${provider.issuer}`);

    const databaseUrl = server.url;
    const baseEnv = {
      ...process.env,
      DATABASE_URL: databaseUrl,
      MIGRATIONS_DIR: builds.apiMigrationsDir,
      ...apiSignInEnv(provider.issuer),
      LOG_LEVEL: 'warn',
      APP_ENV: 'local',
      APP_VERSION: 'resilience',
    };
    await promisify(execFile)(process.execPath, [path.join(builds.apiDir, 'migrate.js')], { env: baseEnv });
    options.log('migrations applied by the real migrate command');

    const apis: ApiInstance[] = [];
    for (let index = 0; index < options.apiProcesses; index += 1) {
      const [port, managementPort] = [await freePort(), await freePort()];
      const name = `api-${String.fromCharCode(97 + index)}`;
      const env = { ...baseEnv, PORT: String(port), MANAGEMENT_PORT: String(managementPort) };
      const service = new ServiceProcess(name, path.join(builds.apiDir, 'server.js'), env, path.join(workDir, `${name}.log`));
      service.start();
      cleanUps.push(() => service.kill('SIGKILL'));
      const url = `http://127.0.0.1:${port}`;
      const managementUrl = `http://127.0.0.1:${managementPort}`;
      await waitForOk(`${managementUrl}/readyz`, START_TIMEOUT_MS, () => service.alive).catch((error: Error) => {
        throw new Error(`${name} did not become ready: ${error.message}\n${service.logTail()}`);
      });
      apis.push({ process: service, url, managementUrl });
    }
    const proxy = new RoundRobinProxy(apis.map((api) => ({ name: api.process.name, url: api.url, readyUrl: `${api.managementUrl}/readyz` })));
    const apiUrl = await proxy.listen();
    cleanUps.push(() => proxy.close());
    options.log(`${apis.length} API process(es) (${apis.map((api) => `${api.process.name} pid ${api.process.pid}`).join(', ')}) behind the round-robin proxy ${apiUrl}`);

    let front: ServiceProcess | undefined;
    let frontHeaders: Record<string, string> = {};
    if (builds.frontServer && frontUrl && frontPort !== undefined) {
      const frontManagementUrl = `http://127.0.0.1:${await freePort()}`;
      const frontProcess = new ServiceProcess('front', builds.frontServer, {
        ...process.env,
        API_URL: apiUrl,
        // Its readiness asks one API's health (the proxy forwards the application port only).
        API_MANAGEMENT_URL: apis[0].managementUrl,
        PORT: String(frontPort),
        MANAGEMENT_PORT: new URL(frontManagementUrl).port,
        ...frontSignInEnv(provider.issuer, frontUrl),
        ...frontSecretValues(),
        LOG_LEVEL: 'warn',
        APP_ENV: 'local',
        APP_VERSION: 'resilience',
      }, path.join(workDir, 'front.log'));
      frontProcess.start();
      cleanUps.push(() => frontProcess.kill('SIGKILL'));
      await waitForOk(`${frontManagementUrl}/readyz`, START_TIMEOUT_MS, () => frontProcess.alive).catch((error: Error) => {
        throw new Error(`the front did not become ready: ${error.message}\n${frontProcess.logTail()}`);
      });
      front = frontProcess;
      // Page views come from a signed-in viewer, as in production (no anonymous reading).
      const viewer = new FormClient(frontUrl);
      await viewer.signIn('viewer');
      frontHeaders = viewer.cookieHeader();
      options.log(`front pid ${frontProcess.pid} on ${frontUrl}, the local viewer signed in`);
    }
    return { databaseUrl, postgres, apis, proxy, apiUrl, apiHeaders, frontUrl, frontHeaders, front, workDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Restarts a killed API instance on its own port and resolves when it is ready again. */
export async function restartApi(api: ApiInstance): Promise<number> {
  api.process.start();
  return waitForOk(`${api.managementUrl}/readyz`, START_TIMEOUT_MS, () => api.process.alive);
}
