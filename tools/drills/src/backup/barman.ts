// The Barman Cloud commands, called the way the CloudNativePG Barman Cloud plugin calls them:
// barman-cloud-wal-archive as archive_command, barman-cloud-backup for a base backup,
// barman-cloud-restore for the data folder and barman-cloud-wal-restore as restore_command,
// all against one destination (s3://bucket/prefix) and server name.
import fs from 'node:fs';
import path from 'node:path';
import { run, type RunAs } from './commands';

/** The compressions barman-cloud-wal-archive takes as flags (the ObjectStore's wal.compression). */
export const WAL_COMPRESSIONS = ['bzip2', 'gzip', 'lz4', 'snappy', 'xz', 'zstd'] as const;
export type WalCompression = (typeof WAL_COMPRESSIONS)[number];

export interface BarmanTarget {
  /** Folder of the barman-cloud-* executables (the venv's bin). */
  readonly bin: string;
  readonly endpoint: string;
  /** s3://bucket/prefix */
  readonly destination: string;
  readonly serverName: string;
}

/** A shell word for PostgreSQL's archive/restore command lines (single-quoted). */
const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export function archiveCommand(target: BarmanTarget, compression: WalCompression): string {
  return [path.join(target.bin, 'barman-cloud-wal-archive'), '--cloud-provider', 'aws-s3', '--endpoint-url', target.endpoint, `--${compression}`, target.destination, target.serverName]
    .map(quote)
    .concat('%p')
    .join(' ');
}

export function restoreCommand(target: BarmanTarget): string {
  return [path.join(target.bin, 'barman-cloud-wal-restore'), '--cloud-provider', 'aws-s3', '--endpoint-url', target.endpoint, target.destination, target.serverName]
    .map(quote)
    .concat('%f', '%p')
    .join(' ');
}

interface RunEnv {
  readonly env: NodeJS.ProcessEnv;
  readonly owner: RunAs;
}

/** barman-cloud-backup of the server on 127.0.0.1:<port>; returns the backup id. */
export async function baseBackup(target: BarmanTarget, port: number, compression: 'gzip' | 'bzip2' | 'snappy' | 'lz4', options: RunEnv): Promise<string> {
  await run(
    path.join(target.bin, 'barman-cloud-backup'),
    ['--cloud-provider', 'aws-s3', '--endpoint-url', target.endpoint, `--${compression}`, '--immediate-checkpoint', '--host', '127.0.0.1', '--port', String(port), '--user', 'postgres', '--dbname', 'postgres', target.destination, target.serverName],
    options,
  );
  const listing = await run(path.join(target.bin, 'barman-cloud-backup-list'), ['--cloud-provider', 'aws-s3', '--endpoint-url', target.endpoint, '--format', 'json', target.destination, target.serverName], options);
  const backups = (JSON.parse(listing) as { backups_list: { backup_id: string; status: string }[] }).backups_list.filter((b) => b.status === 'DONE');
  const id = backups.at(-1)?.backup_id;
  if (!id) throw new Error(`barman-cloud-backup-list shows no finished backup of ${target.serverName}: ${listing.trim()}`);
  return id;
}

/** barman-cloud-restore of `backupId` into a new, empty data folder. */
export async function restoreBackup(target: BarmanTarget, backupId: string, dataDir: string, options: RunEnv): Promise<void> {
  if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) throw new Error(`${dataDir} is not empty`);
  await run(path.join(target.bin, 'barman-cloud-restore'), ['--cloud-provider', 'aws-s3', '--endpoint-url', target.endpoint, target.destination, target.serverName, backupId, dataDir], options);
}

/** The barman version the venv runs. */
export async function barmanVersion(bin: string, options: RunEnv): Promise<string> {
  return (await run(path.join(bin, 'barman-cloud-wal-archive'), ['--version'], options)).trim();
}
