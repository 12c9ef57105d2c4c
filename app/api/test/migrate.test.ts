import pg from 'pg';
import { createEmptyDatabase, runMigrateCommand } from './support/database';
import { startPostgres, type PostgresServer } from './support/postgres';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server.stop());

async function appliedMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ name: string }>('SELECT name FROM pgmigrations ORDER BY id')).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

describe('the migrate command', () => {
  it('applies every migration once even when two run at the same time, and again is a no-op', async () => {
    const database = await createEmptyDatabase(server.url);
    try {
      await Promise.all([runMigrateCommand(database.url), runMigrateCommand(database.url)]);
      const first = await appliedMigrations(database.url);
      expect(first).toEqual(['1763700000000_create-measurements', '1764500000000_create-idempotency-keys', '1764600000000_add-measurement-authors']);
      await runMigrateCommand(database.url);
      expect(await appliedMigrations(database.url)).toEqual(first);
    } finally {
      await database.drop();
    }
  });

  it('exits non-zero with a clear message when DATABASE_URL is missing or unreachable', async () => {
    await expect(runMigrateCommand('')).rejects.toMatchObject({ stderr: expect.stringContaining('DATABASE_URL is required') });
    await expect(runMigrateCommand('postgres://nobody@127.0.0.1:1/none')).rejects.toMatchObject({ code: 1 });
  });
});
