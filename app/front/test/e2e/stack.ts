// The real system for end-to-end tests: a PostgreSQL server (the API's test harness: a
// throwaway cluster, or DATABASE_URL), a freshly migrated database, the API's createApp, the
// local OpenID provider (the real oidc-provider library, tools/oidc) and the front's
// createApp, each on its own HTTP port of 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { type LocalOidcProvider, startLocalOidcProvider } from '../../../../tools/oidc/local-provider';
import {
  LOCAL_API_AUDIENCE, LOCAL_FRONT_CLIENT, LOCAL_ROLE_CLAIM, LOCAL_ROLE_MAPPING,
} from '../../../../tools/oidc/local-identities';
import { createTestApp, createTestDatabase, startPostgres } from '../../../api/test/support';
import { testAuthConfig } from '../../../api/test/support/oidc';
import { createApp } from '../../src/app';
import { createManagementApp } from '../../src/management';

/** Test-only secret for the front's session cookie and CSRF tokens. */
export const TEST_SESSION_SECRET = 'front-e2e-session-secret-local-only-0123456789';

export interface Stack {
  readonly frontUrl: string;
  /** The front's management server (/healthz, /readyz, /metrics). */
  readonly managementUrl: string;
  readonly apiUrl: string;
  readonly provider: LocalOidcProvider;
  /** The API's database, for tests that hold locks or count rows behind the API's back. */
  readonly databaseUrl: string;
  /** `Bearer <token>` of an editor machine client, for tests that call the API directly. */
  apiAuthorization(): Promise<string>;
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
  /** ANONYMOUS_READ. @default false */
  readonly anonymousRead?: boolean;
  /** TRUST_PROXY. @default false */
  readonly trustProxy?: boolean;
  /** Lifetime of users' access tokens at the provider. @default 300 */
  readonly userAccessTokenTtlSeconds?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const postgres = await startPostgres();
  const database = await createTestDatabase(postgres.url);
  // The front's address must be known before the provider starts (its redirect URIs) and the
  // front's app is created (PUBLIC_URL): listen first, hand requests over once it exists.
  let frontHandler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const frontServer = await listen((req, res) => frontHandler(req, res));
  const provider = await startLocalOidcProvider({
    frontRedirectUris: [`${frontServer.url}/auth/callback`],
    frontPostLogoutRedirectUris: [`${frontServer.url}/`],
    userAccessTokenTtlSeconds: options.userAccessTokenTtlSeconds,
  });
  // The API trusts the same provider as the front, and reads anonymously exactly when it does.
  const api = createTestApp(database.url, {
    appVersion: 'api-e2e',
    auth: testAuthConfig({ issuer: provider.issuer, anonymousRead: options.anonymousRead ?? false }),
  });
  const apiServer = await listen(api.callback);
  const apiManagementServer = await listen(api.managementCallback);
  const config = {
    apiUrl: apiServer.url,
    apiManagementUrl: apiManagementServer.url,
    apiTimeoutMs: options.apiTimeoutMs ?? 3000,
    apiImportTimeoutMs: options.apiImportTimeoutMs ?? 10_000,
    appVersion: 'front-e2e',
    appEnv: 'test' as const,
    publicUrl: frontServer.url,
    oidc: {
      issuer: provider.issuer,
      clientId: LOCAL_FRONT_CLIENT.clientId,
      clientSecret: LOCAL_FRONT_CLIENT.clientSecret,
      apiAudience: LOCAL_API_AUDIENCE,
      roleClaim: LOCAL_ROLE_CLAIM,
      roleMapping: LOCAL_ROLE_MAPPING,
    },
    anonymousRead: options.anonymousRead ?? false,
    sessionSecret: TEST_SESSION_SECRET,
    trustProxy: options.trustProxy ?? false,
  };
  const registry = new Registry();
  frontHandler = createApp({ config, registry, statusTtlMs: 0 }).callback();
  const managementServer = await listen(createManagementApp({ config, registry }).callback());
  let apiStopped = false;
  const stopApi = async () => {
    if (apiStopped) return;
    apiStopped = true;
    await close(apiServer.server);
    await close(apiManagementServer.server);
    await api.close();
  };
  return {
    frontUrl: frontServer.url,
    managementUrl: managementServer.url,
    apiUrl: apiServer.url,
    provider,
    databaseUrl: database.url,
    apiAuthorization: async () => `Bearer ${await provider.machineToken('station-uploader')}`,
    stopApi,
    stop: async () => {
      await close(frontServer.server);
      await close(managementServer.server);
      await stopApi();
      await provider.stop();
      await database.drop();
      await postgres.stop();
      // The API harness bundles its migrate command with esbuild, whose service process would
      // otherwise keep the test worker alive.
      (await import('esbuild')).stop();
    },
  };
}
