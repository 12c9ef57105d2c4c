// jest hooks: one migrated database and app per test file, rows removed between tests.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTestApp, type TestApp } from './app';
import { createTestDatabase, type TestDatabase } from './database';
import { startPostgres, type PostgresServer } from './postgres';
import type { Config } from '../../src/config';

export interface FileContext {
  readonly api: TestApp;
  readonly server: PostgresServer;
  readonly database: TestDatabase;
  /** Base URL of the app listening on 127.0.0.1 (one server per file: faster than per request). */
  readonly baseUrl: string;
  /** supertest bound to that server. */
  http(): ReturnType<typeof request>;
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
    context = { server, database, api, baseUrl, http: () => request(baseUrl) };
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
