// Restarts the drill's throwaway PostgreSQL with pg_ctl, as the owner of its data directory
// (the `postgres` user when the drill runs as root: PostgreSQL refuses to run as root).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

const binDir = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export interface PostgresControl {
  readonly dataDir: string;
  readonly port: number;
  /** pg_ctl restart -m <mode> -w with durable settings; resolves when it accepts connections again. */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
}

export async function postgresControl(url: string): Promise<PostgresControl> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let dataDir: string;
  let port: number;
  try {
    dataDir = (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]?.data_directory ?? '';
    port = Number((await client.query<{ port: string }>('SHOW port')).rows[0]?.port);
  } finally {
    await client.end();
  }
  const owner = fs.statSync(dataDir);
  const asOwner = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
  // The test harness starts the cluster with fsync/synchronous_commit/full_page_writes off for
  // speed; the drill restarts it with PostgreSQL's durable defaults, so an acknowledged commit
  // must survive even an immediate (crash) stop.
  const options = [`-p ${port}`, "-c listen_addresses='127.0.0.1'", `-c unix_socket_directories='${dataDir}'`, '-c max_connections=300'].join(' ');
  return {
    dataDir,
    port,
    restart: (mode) => run(path.join(binDir, 'pg_ctl'), ['restart', '-D', dataDir, '-m', mode, '-w', '-t', '60', '-l', path.join(dataDir, 'server.log'), '-o', options], { ...asOwner, cwd: dataDir }),
  };
}

function run(command: string, args: string[], options: { uid?: number; gid?: number; cwd: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pg_ctl ${args[0]} exited with ${code}: ${output.trim()}`))));
  });
}
