import type { LocalOidcProvider } from '../../../../tools/oidc/local-provider';
import { issuerVariable } from './oidc';
import type { PostgresServer } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const shared = globalThis as { __ecodataPostgres?: PostgresServer; __ecodataOidc?: LocalOidcProvider };
  await shared.__ecodataOidc?.stop();
  delete process.env[issuerVariable];
  const server = shared.__ecodataPostgres;
  if (!server) return;
  await server.stop();
  delete process.env.DATABASE_URL;
}
