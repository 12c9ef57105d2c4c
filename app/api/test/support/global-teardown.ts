import type { PostgresServer } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __ecodataPostgres?: PostgresServer }).__ecodataPostgres;
  if (!server) return;
  await server.stop();
  delete process.env.DATABASE_URL;
}
