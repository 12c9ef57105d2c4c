// One PostgreSQL server for every test file of the run (files get their own databases).
import { startPostgres } from './postgres';

export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const server = await startPostgres();
  process.env.DATABASE_URL = server.url;
  (globalThis as { __ecodataPostgres?: typeof server }).__ecodataPostgres = server;
}
