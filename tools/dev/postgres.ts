// A local PostgreSQL for the dev stack, from the PostgreSQL server binaries installed on the
// machine (Debian: postgresql-15). Data persists in .build/dev/postgres between runs so seeded
// data survives a restart; delete that folder to start over. PostgreSQL refuses to run as
// root, so as root the cluster belongs to (and runs as) the `postgres` user.
import { execFileSync, spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface LocalPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/** The newest PostgreSQL bin directory: PG_BIN_DIR, /usr/lib/postgresql/<n>/bin, or the PATH. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env, root = '/usr/lib/postgresql'): string | undefined {
  const has = (dir: string) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'));
  if (env.PG_BIN_DIR) return has(env.PG_BIN_DIR) ? env.PG_BIN_DIR : undefined;
  const versions = fs.existsSync(root)
    ? fs.readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) if (has(path.join(root, version, 'bin'))) return path.join(root, version, 'bin');
  for (const dir of (env.PATH ?? '').split(path.delimiter)) if (dir && has(dir)) return dir;
  return undefined;
}

export async function startLocalPostgres(options: { dataDir: string; port: number; binDir: string; log: (line: string) => void }): Promise<LocalPostgres> {
  const { dataDir, port, binDir, log } = options;
  const owner = process.getuid?.() === 0 ? postgresUser() : undefined;
  const asOwner: SpawnOptions = { ...owner, cwd: path.dirname(dataDir), env: { ...process.env, LC_ALL: 'C' } };
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`creating a PostgreSQL cluster in ${dataDir}`);
    // Only the data directory itself is private (initdb wants 0700). A recursive mkdir with
    // mode 0700 made its parents (.build/dev) 0700 too, which the postgres user cannot enter
    // when we run as root ("initdb: could not change directory ... Permission denied").
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    if (owner) assertReachable(path.dirname(dataDir));
    fs.mkdirSync(dataDir, { mode: 0o700 });
    if (owner) fs.chownSync(dataDir, owner.uid, owner.gid);
    await run(path.join(binDir, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions'], asOwner);
  }
  const settings = `-p ${port} -c listen_addresses='127.0.0.1' -c unix_socket_directories='${dataDir}'`;
  await run(path.join(binDir, 'pg_ctl'), ['start', '-D', dataDir, '-w', '-t', '60', '-l', path.join(dataDir, 'server.log'), '-o', settings], asOwner);
  log(`PostgreSQL listening on 127.0.0.1:${port}`);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      spawnSync(path.join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w'], { ...asOwner, stdio: 'ignore' });
    },
  };
}

/**
 * As root the cluster runs as `postgres`, which must be able to pass through every directory
 * above the data directory: a clear error (naming the directory) instead of initdb's.
 */
function assertReachable(dir: string): void {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `the postgres user cannot enter ${current} (mode ${(mode & 0o777).toString(8)}), so it cannot reach the dev database; ` +
          `run \`chmod o+x ${current}\` or use a checkout outside it`,
      );
    }
    if (current === path.dirname(current)) return;
  }
}

function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('Running as root, PostgreSQL needs a `postgres` user to run as (install postgresql, or set DATABASE_URL).');
  }
}

function run(command: string, args: string[], options: SpawnOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(command)} exited ${code}: ${stderr.trim()}`))));
  });
}
