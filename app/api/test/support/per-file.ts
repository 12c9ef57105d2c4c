// jest hooks: one migrated database and app per test file, rows removed between tests. Requests
// made with http() carry an editor's bearer token (the station-uploader machine client).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { createTestDatabase, type TestDatabase } from './database';
import { startPostgres, type PostgresServer } from './postgres';
import type { Config } from '../../src/config';
import { editorToken } from './oidc';

/** supertest's entry points, each call pre-set with one Authorization header (or none). */
export type Client = Pick<ReturnType<typeof request>, 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options' | 'trace'>;

/** `request(baseUrl)` whose every request carries `Authorization: Bearer <token>` (none when undefined). */
export function withToken(baseUrl: string | Parameters<typeof request>[0], token: string | undefined): Client {
  const agent = request(baseUrl);
  const set = (test: request.Test) => (token === undefined ? test : test.set('Authorization', `Bearer ${token}`));
  return {
    get: (url) => set(agent.get(url)),
    post: (url) => set(agent.post(url)),
    put: (url) => set(agent.put(url)),
    patch: (url) => set(agent.patch(url)),
    delete: (url) => set(agent.delete(url)),
    head: (url) => set(agent.head(url)),
    options: (url) => set(agent.options(url)),
    trace: (url) => set(agent.trace(url)),
  };
}

export interface FileContext {
  readonly api: TestApp;
  readonly server: PostgresServer;
  readonly database: TestDatabase;
  /** Base URL of the app listening on 127.0.0.1 (one server per file: faster than per request). */
  readonly baseUrl: string;
  /** The editor token http() sends. */
  readonly token: string;
  /** supertest bound to that server, as an editor. */
  http(): Client;
  /** supertest bound to that server, with `token` (or no Authorization header at all). */
  as(token: string | undefined): Client;
  /** supertest bound to the management app (/healthz, /readyz, /metrics). */
  management(): ReturnType<typeof request>;
}

export function useTestApp(overrides: Partial<Config> = {}): () => FileContext {
  let context: FileContext | undefined;
  let listener: http.Server | undefined;
  beforeAll(async () => {
    const server = await startPostgres();
    const database = await createTestDatabase(server.url);
    const api = createTestApp(database.url, overrides);
    const httpServer = http.createServer(api.callback);
    listener = httpServer;
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
    const token = await editorToken();
    context = {
      server,
      database,
      api,
      baseUrl,
      token,
      http: () => withToken(baseUrl, token),
      as: (other) => withToken(baseUrl, other),
      management: () => request(api.managementCallback),
    };
  });
  afterEach(async () => {
    await context?.api.db.query({ text: 'TRUNCATE measurements, idempotency_keys RESTART IDENTITY' });
  });
  afterAll(async () => {
    listener?.closeAllConnections();
    await new Promise((resolve) => listener?.close(resolve));
    await context?.api.close();
    await context?.database.drop();
    await context?.server.stop();
  });
  return () => {
    if (!context) throw new Error('useTestApp() context is only available inside tests');
    return context;
  };
}
