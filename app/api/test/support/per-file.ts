// jest hooks: one migrated database and app per test file, rows removed between tests.
import { createTestApp, type TestApp } from './app';
import { createTestDatabase, type TestDatabase } from './database';
import { startPostgres, type PostgresServer } from './postgres';
import type { Config } from '../../src/config';

export interface FileContext {
  readonly api: TestApp;
  readonly server: PostgresServer;
  readonly database: TestDatabase;
}

export function useTestApp(overrides: Partial<Config> = {}): () => FileContext {
  let context: FileContext | undefined;
  beforeAll(async () => {
    const server = await startPostgres();
    const database = await createTestDatabase(server.url);
    context = { server, database, api: createTestApp(database.url, overrides) };
  });
  afterEach(async () => {
    await context?.api.db.query({ text: 'TRUNCATE measurements RESTART IDENTITY' });
  });
  afterAll(async () => {
    await context?.api.close();
    await context?.database.drop();
    await context?.server.stop();
  });
  return () => {
    if (!context) throw new Error('useTestApp() context is only available inside tests');
    return context;
  };
}
