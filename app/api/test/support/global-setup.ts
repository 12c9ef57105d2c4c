// One PostgreSQL server and one local OpenID provider for every test file of the run (files
// get their own databases; tokens come from the provider, see oidc.ts).
import { startSharedProvider } from './oidc';
import { startPostgres } from './postgres';

export default async function globalSetup(): Promise<void> {
  const shared = globalThis as { __ecodataPostgres?: unknown; __ecodataOidc?: unknown };
  const [provider] = await Promise.all([
    startSharedProvider(),
    (async () => {
      if (process.env.DATABASE_URL) return;
      const server = await startPostgres();
      process.env.DATABASE_URL = server.url;
      shared.__ecodataPostgres = server;
    })(),
  ]);
  shared.__ecodataOidc = provider;
}
