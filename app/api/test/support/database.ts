// One fresh, migrated database per test file (or per test), so files run in parallel on one
// server. Migrations run once per server into a template database (through the real
// migrate command); each test database is a cheap CREATE DATABASE ... TEMPLATE copy.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { buildCommands, commandEnv, migrationsDir } from './build';

export interface TestDatabase {
  /** Connection string of the new database. */
  readonly url: string;
  /** Drops the database (terminating any connection still open). */
  drop(): Promise<void>;
}

/** Returns `serverUrl` pointing at database `name`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs the real migrate command against `url` (exits non-zero -> rejects with its stderr). */
export async function runMigrateCommand(url: string): Promise<{ stdout: string; stderr: string }> {
  const dir = await buildCommands();
  return promisify(execFile)(process.execPath, [path.join(dir, 'migrate.js')], {
    env: commandEnv({ DATABASE_URL: url }),
  });
}

/** Creates an empty database (no migrations) and returns its URL. */
export async function createEmptyDatabase(serverUrl: string): Promise<TestDatabase> {
  const name = `ecodata_test_${crypto.randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.query(`CREATE DATABASE ${name}`));
  return { url: databaseUrl(serverUrl, name), drop: () => dropDatabase(serverUrl, name) };
}

/** Creates a migrated database from the per-server template (creating that first if needed). */
export async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const template = `ecodata_template_${migrationsHash()}`;
  const name = `ecodata_test_${crypto.randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, async (admin) => {
    await ensureTemplate(admin, serverUrl, template);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  });
  return { url: databaseUrl(serverUrl, name), drop: () => dropDatabase(serverUrl, name) };
}

async function ensureTemplate(admin: pg.Client, serverUrl: string, template: string): Promise<void> {
  // Serialises template creation across parallel jest workers.
  await admin.query(`SELECT pg_advisory_lock(hashtext('ecodata-test-template'))`);
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (exists.rowCount) return;
    const building = `${template}_building`;
    await admin.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${building}`);
    await runMigrateCommand(databaseUrl(serverUrl, building));
    // The rename marks the template complete: a crash mid-migration never leaves a usable one.
    await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
  } finally {
    await admin.query(`SELECT pg_advisory_unlock(hashtext('ecodata-test-template'))`);
  }
}

async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function withAdmin<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** Template names change whenever a migration file does, so stale templates are never used. */
function migrationsHash(): string {
  const hash = crypto.createHash('sha256');
  for (const file of fs.readdirSync(migrationsDir).sort()) {
    hash.update(file).update(fs.readFileSync(path.join(migrationsDir, file)));
  }
  return hash.digest('hex').slice(0, 12);
}
