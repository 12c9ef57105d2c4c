// The drill's PostgreSQL servers, from the local PostgreSQL 15 binaries: the primary (WAL
// archiving on, durable settings) and the restored ones (a data folder written by
// barman-cloud-restore, recovery.signal, restore_command and an optional recovery target).
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../../../app/api/test/support/postgres';
import { logTail, ownedDir, run, type RunAs } from './commands';

export const PG_BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export interface Server {
  readonly dataDir: string;
  readonly port: number;
  readonly url: string;
  /** pg_ctl stop: `immediate` is a crash (no shutdown checkpoint, nothing more archived). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
}

interface ServerOptions {
  readonly owner: RunAs;
  /** Environment of the server (the archive and restore commands inherit it). */
  readonly env: NodeJS.ProcessEnv;
}

/** PostgreSQL settings as postgresql.auto.conf lines (later lines win). */
function settingsFile(settings: Readonly<Record<string, string>>): string {
  return Object.entries(settings)
    .map(([name, value]) => `${name} = '${value.replace(/'/g, "''")}'`)
    .join('\n');
}

function appendSettings(dataDir: string, settings: Readonly<Record<string, string>>, owner: RunAs): void {
  const file = path.join(dataDir, 'postgresql.auto.conf');
  fs.appendFileSync(file, `\n# backup drill\n${settingsFile(settings)}\n`);
  if (owner.uid !== undefined) fs.chownSync(file, owner.uid, owner.gid ?? owner.uid);
}

async function start(dataDir: string, options: ServerOptions): Promise<Server> {
  const port = await freePort();
  const logFile = path.join(dataDir, 'server.log');
  const serverOptions = `-p ${port} -c listen_addresses='127.0.0.1' -c unix_socket_directories='${dataDir}'`;
  const runOptions = { env: { ...options.env, LC_ALL: 'C' }, owner: options.owner, cwd: dataDir };
  try {
    await run(path.join(PG_BIN, 'pg_ctl'), ['start', '-D', dataDir, '-w', '-t', '120', '-l', logFile, '-o', serverOptions], runOptions);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${logTail(logFile)}`, { cause: error });
  }
  return {
    dataDir,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async (mode) => {
      await run(path.join(PG_BIN, 'pg_ctl'), ['stop', '-D', dataDir, '-m', mode, '-w', '-t', '60'], runOptions).catch(() => undefined);
    },
  };
}

/** A new primary archiving every WAL segment with `archiveCommand` at least every `archiveTimeout`. */
export async function startPrimary(dataDir: string, archive: { command: string; timeout: string }, options: ServerOptions): Promise<Server> {
  ownedDir(dataDir, options.owner);
  await run(path.join(PG_BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'], {
    env: { ...options.env, LC_ALL: 'C' },
    owner: options.owner,
    cwd: dataDir,
  });
  appendSettings(
    dataDir,
    {
      wal_level: 'replica',
      archive_mode: 'on',
      archive_command: archive.command,
      archive_timeout: archive.timeout,
      // PostgreSQL's durable defaults, written out: an acknowledged commit is on disk.
      fsync: 'on',
      synchronous_commit: 'on',
      full_page_writes: 'on',
    },
    options.owner,
  );
  return start(dataDir, options);
}

/**
 * Starts a data folder written by barman-cloud-restore as an archive recovery: WAL comes from
 * `restoreCommand`, replay stops at `targetTime` (or at the end of the archive) and the server
 * is promoted. Resolves once it accepts connections and has left recovery.
 */
export async function startRestored(dataDir: string, recovery: { restoreCommand: string; targetTime?: string }, options: ServerOptions): Promise<Server> {
  fs.writeFileSync(path.join(dataDir, 'recovery.signal'), '');
  if (options.owner.uid !== undefined) fs.chownSync(path.join(dataDir, 'recovery.signal'), options.owner.uid, options.owner.gid ?? options.owner.uid);
  // The restored server must not archive into the primary's server name (CloudNativePG gives
  // a restored Cluster a name of its own); the drill checks its data, so it archives nothing.
  appendSettings(
    dataDir,
    {
      archive_mode: 'off',
      restore_command: recovery.restoreCommand,
      recovery_target_action: 'promote',
      ...(recovery.targetTime ? { recovery_target_time: recovery.targetTime, recovery_target_inclusive: 'true' } : {}),
    },
    options.owner,
  );
  const server = await start(dataDir, options);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const client = new pg.Client({ connectionString: server.url });
    try {
      await client.connect();
      const { rows } = await client.query<{ recovering: boolean }>('SELECT pg_is_in_recovery() AS recovering');
      if (!rows[0]?.recovering) return server;
    } finally {
      await client.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new Error(`the restored server in ${dataDir} was still in recovery after 120 s\n${logTail(path.join(dataDir, 'server.log'))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
