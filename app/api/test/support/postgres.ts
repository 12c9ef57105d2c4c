// A real PostgreSQL server for tests. Uses DATABASE_URL when it is set (e.g. a CI service
// container: the role needs CREATEDB), otherwise starts a throwaway cluster from the local
// PostgreSQL 15 binaries and deletes it on stop(). PostgreSQL refuses to run as root, so as
// root the cluster runs as the `postgres` user in a temp directory it owns.
import { execFileSync, spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface PostgresServer {
  /** Connection string of a superuser (or CREATEDB role) on the server's `postgres` database. */
  readonly url: string;
  /** Stops and deletes a throwaway cluster; does nothing for an external DATABASE_URL. */
  stop(): Promise<void>;
}

const binDir = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export async function startPostgres(): Promise<PostgresServer> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, stop: async () => undefined };

  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-pg-'));
  if (owner) fs.chownSync(dataDir, owner.uid, owner.gid);
  const asOwner: SpawnOptions = { ...owner, cwd: dataDir, env: { ...process.env, LC_ALL: 'C' } };
  let started = false;
  const cleanUp = () => {
    if (started) spawnSync(path.join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w'], { ...asOwner, stdio: 'ignore' });
    started = false;
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  // Last resort when the run ends without calling stop(): normal exit, Ctrl-C or a kill
  // (the signal is re-raised after the clean-up so the process still dies of it).
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp();
    process.kill(process.pid, signal);
  };
  const removeHandlers = () => {
    process.removeListener('exit', cleanUp);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  };
  process.once('exit', cleanUp);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], asOwner);
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${dataDir}'`,
      // Throwaway data: durability off for speed.
      '-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
      '-c max_connections=300',
    ].join(' ');
    await run(path.join(binDir, 'pg_ctl'), ['start', '-D', dataDir, '-w', '-t', '60', '-l', path.join(dataDir, 'server.log'), '-o', settings], asOwner);
    started = true;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: async () => {
        removeHandlers();
        if (started) await run(path.join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w'], asOwner);
        started = false;
        cleanUp();
      },
    };
  } catch (error) {
    const log = path.join(dataDir, 'server.log');
    const detail = fs.existsSync(log) ? `\n${fs.readFileSync(log, 'utf8')}` : '';
    cleanUp();
    removeHandlers();
    throw new Error(`could not start a throwaway PostgreSQL from ${binDir}: ${(error as Error).message}${detail}`, { cause: error });
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Asks the kernel for an unused port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], options: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${path.basename(command)} exited with ${code}: ${output.trim()}`)),
    );
  });
}
