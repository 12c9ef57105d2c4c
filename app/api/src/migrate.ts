// `node build/migrate.js`: applies pending migrations and exits 0. Idempotent; two runs at
// once are safe because node-pg-migrate holds a PostgreSQL advisory lock while it works
// (the second waits, then finds nothing to do).
import path from 'node:path';
import pino from 'pino';
import { ConfigError } from './config';

/** Where the SQL migrations live: next to build/ in the image, overridable for tests. */
export function migrationsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MIGRATIONS_DIR ?? path.resolve(__dirname, '..', 'migrations');
}

export async function runMigrations(options: {
  databaseUrl: string;
  dir: string;
  logger: pino.Logger;
}): Promise<string[]> {
  // node-pg-migrate 9 is ESM-only; a dynamic import keeps this file CommonJS.
  const { runner } = await import('node-pg-migrate');
  const applied = await runner({
    databaseUrl: options.databaseUrl,
    dir: options.dir,
    direction: 'up',
    migrationsTable: 'pgmigrations',
    checkOrder: true,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    logger: {
      debug: (msg: string) => options.logger.debug(msg),
      info: (msg: string) => options.logger.info(msg),
      warn: (msg: string) => options.logger.warn(msg),
      error: (msg: string) => options.logger.error(msg),
    },
  });
  return applied.map((migration) => migration.name);
}

async function main(): Promise<void> {
  const logger = pino({ level: process.env.LOG_LEVEL || 'info', base: { service: 'ecodata-api', command: 'migrate' } });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new ConfigError(['DATABASE_URL is required (a postgres:// connection string)']);
  const applied = await runMigrations({ databaseUrl, dir: migrationsDir(), logger });
  logger.info({ applied }, applied.length ? `applied ${applied.length} migration(s)` : 'database already up to date');
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
