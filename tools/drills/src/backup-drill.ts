// `backup-drill`: continuous archiving and point-in-time restore with the tools the
// CloudNativePG Barman Cloud plugin runs, against a real S3 store. A PostgreSQL 15 primary
// archives WAL with barman-cloud-wal-archive (archive_timeout as the environments set it)
// into SeaweedFS on 127.0.0.1; barman-cloud-backup takes a base backup under steady writes;
// a target time is read from the server, writes go on, then the primary is lost at the worst
// moment, right after a WAL segment switch (immediate stop, its disk never used again).
// barman-cloud-restore + barman-cloud-wal-restore restore it twice into new data folders: to
// the target time (every write acknowledged before it is there, none after it) and to the end
// of the archive (no acknowledged write missing before the newest restored one; the
// acknowledged writes missing at the end are the RPO).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { environments } from '../../../environments';
import { postgresDurationSchema, postgresDurationSeconds } from '../../../environments/backup-schema';
import { parseEnvironment } from '../../../environments/load';
import { buildBinaries } from '../../cluster/src/binaries';
import { duration, formatMs, integer, parseDrillArgs } from './args';
import { archiveCommand, barmanVersion, baseBackup, restoreBackup, restoreCommand, WAL_COMPRESSIONS, type BarmanTarget, type WalCompression } from './backup/barman';
import { ownedDir, postgresOwner, sleep, waitFor, type RunAs } from './backup/commands';
import { PG_BIN, startPrimary, startRestored, type Server } from './backup/postgres';
import { startSeaweedfs, type S3Store } from './backup/seaweedfs';
import { checkEndOfArchive, checkPointInTime, type TargetMark } from './backup/verify';
import { CREATE_TABLE, Writer } from './backup/writes';
import type { Drill, Io } from './drill';
import { DrillFailure, UsageError } from './errors';
import { repositoryRoot } from './resilience/repo';
import { table } from './table';

/** Seconds with one decimal: RPO and restore times are compared with archive_timeout. */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

const prodBackup = () => parseEnvironment('prod', environments.prod).database.backup;

const help = () => `Usage: npm run backup-drill -- [options]

Backup and point-in-time restore drill with the real Barman Cloud tools (barman from
tools/python/requirements.txt in .build/venv), the PostgreSQL 15 server binaries and
SeaweedFS (built by tools/cluster/build.sh) as the S3 store on 127.0.0.1:
  1. a primary archives every WAL segment with barman-cloud-wal-archive (archive_timeout
     as prod sets it unless --archive-timeout), steady writes start (each acknowledged
     commit recorded), barman-cloud-backup takes a base backup under them;
  2. after --before the target time is read from the server; writes go on until a segment
     holding a commit after the target is archived, then for --after, then until the next
     WAL segment switch, when the primary is lost before that segment is archived (the
     worst moment; pg_ctl stop -m immediate, its data folder never used again);
  3. barman-cloud-restore + barman-cloud-wal-restore restore into a new data folder with
     recovery_target_time = the target: every write acknowledged before the target must be
     there and none sent after it;
  4. the same to the end of the archive: no acknowledged write may be missing before the
     newest one restored; the acknowledged writes missing at the end give the RPO.
  Prints the RPO, the restore times and the backup time.

Options:
  --archive-timeout <t>   PostgreSQL archive_timeout such as 2s or 5min (default ${prodBackup().archiveTimeout}, prod's)
  --wal-compression <c>   ${WAL_COMPRESSIONS.join(', ')} (default ${prodBackup().walCompression}, prod's)
  --write-rps <n>         writes per second, 1-500 (default 50)
  --before <duration>     writes between the base backup and the target (default 3s)
  --after <duration>      writes after the target's WAL is archived, before waiting for the
                          segment switch that triggers the loss (default 2s)
  --max-rpo <duration>    also fail when the RPO exceeds this (default: report only)
  -h, --help              show this help

Exit codes: 0 no acknowledged write lost (and the RPO within --max-rpo), 1 otherwise,
2 bad arguments.`;

interface Options {
  readonly archiveTimeout: string;
  readonly walCompression: WalCompression;
  readonly writeRps: number;
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly maxRpoMs: number | undefined;
}

export function parseBackupDrillArgs(argv: readonly string[]): Options | 'help' {
  const args = parseDrillArgs(argv, {
    'archive-timeout': { type: 'string' },
    'wal-compression': { type: 'string' },
    'write-rps': { type: 'string' },
    before: { type: 'string' },
    after: { type: 'string' },
    'max-rpo': { type: 'string' },
  });
  if (args.help) return 'help';
  const archiveTimeout = args['archive-timeout'] ?? prodBackup().archiveTimeout;
  if (!postgresDurationSchema.safeParse(archiveTimeout).success) {
    throw new UsageError(`--archive-timeout must be a PostgreSQL duration such as 2s, 60s or 5min, got "${archiveTimeout}"`);
  }
  if (postgresDurationSeconds(archiveTimeout) > 3600) throw new UsageError(`--archive-timeout must be at most 1h, got ${archiveTimeout}`);
  const walCompression = args['wal-compression'] ?? prodBackup().walCompression;
  if (!(WAL_COMPRESSIONS as readonly string[]).includes(walCompression)) {
    throw new UsageError(`--wal-compression must be one of ${WAL_COMPRESSIONS.join(', ')}, got "${walCompression}"`);
  }
  return {
    archiveTimeout,
    walCompression: walCompression as WalCompression,
    writeRps: integer(args['write-rps'], '--write-rps', 50, 1, 500),
    beforeMs: duration(args.before, '--before', 3000, 0, 600_000),
    afterMs: duration(args.after, '--after', 2000, 0, 600_000),
    maxRpoMs: args['max-rpo'] === undefined ? undefined : duration(args['max-rpo'], '--max-rpo', 0, 1, 3_600_000),
  };
}

/** The restored server's rows, then it is stopped. */
async function restoredIds(server: Server): Promise<Set<number>> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return new Set((await client.query<{ id: number }>('SELECT id FROM drill_writes')).rows.map((row) => row.id));
  } finally {
    await client.end();
    await server.stop('fast');
  }
}

interface Restore {
  readonly ids: Set<number>;
  /** barman-cloud-restore of the base backup. */
  readonly fetchMs: number;
  /** From starting PostgreSQL to promoted (WAL fetched with barman-cloud-wal-restore and replayed). */
  readonly replayMs: number;
}

async function restore(target: BarmanTarget, backupId: string, dataDir: string, targetTime: string | undefined, env: NodeJS.ProcessEnv, owner: RunAs): Promise<Restore> {
  ownedDir(dataDir, owner);
  const started = performance.now();
  await restoreBackup(target, backupId, dataDir, { env, owner });
  const fetched = performance.now();
  const server = await startRestored(dataDir, { restoreCommand: restoreCommand(target), targetTime }, { env, owner });
  const promoted = performance.now();
  return { ids: await restoredIds(server), fetchMs: fetched - started, replayMs: promoted - fetched };
}

/** One statement on a connection of its own; its first row. */
async function query<T extends pg.QueryResultRow>(url: string, sql: string, { expectRow = true } = {}): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const row = (await client.query<T>(sql)).rows[0];
    if (!row && expectRow) throw new Error(`no row from ${sql}`);
    return row as T;
  } finally {
    await client.end();
  }
}

/** Checks the tools exist and the PostgreSQL user can run them (it runs archive_command). */
async function prerequisites(venvBin: string, owner: RunAs): Promise<void> {
  if (!fs.existsSync(path.join(PG_BIN, 'initdb'))) throw new DrillFailure(`no PostgreSQL server binaries in ${PG_BIN} (install postgresql-15, or set PG_BIN_DIR)`);
  if (!fs.existsSync(path.join(venvBin, 'barman-cloud-wal-archive'))) {
    throw new DrillFailure(`no barman-cloud-wal-archive in ${venvBin}: run bash tools/python/setup-venv.sh (part of .ci/setup)`);
  }
  await barmanVersion(venvBin, { env: process.env, owner }).catch((error: Error) => {
    throw new DrillFailure(`the PostgreSQL user cannot run ${venvBin}/barman-cloud-wal-archive (its archive_command): ${error.message}`);
  });
}

export const backupDrill: Drill = {
  name: 'backup-drill',
  summary: 'WAL archiving, base backup and point-in-time restore with barman-cloud-* into SeaweedFS S3: RPO, restore time, 0 acknowledged writes lost',
  get help() {
    return help();
  },
  async run(argv: readonly string[], io: Io) {
    const options = parseBackupDrillArgs(argv);
    if (options === 'help') {
      io.out(help());
      return;
    }
    const owner = postgresOwner();
    const venvBin = path.join(repositoryRoot(), '.build', 'venv', 'bin');
    await prerequisites(venvBin, owner);
    const weed = path.join(buildBinaries(), 'weed');
    if (!fs.existsSync(weed)) throw new DrillFailure(`${weed} is missing: tools/cluster/build.sh builds it`);

    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-backup-drill-'));
    fs.chmodSync(workDir, 0o755);
    const cleanUps: (() => Promise<void>)[] = [async () => fs.rmSync(workDir, { recursive: true, force: true })];
    try {
      const store: S3Store = await startSeaweedfs({ weed, python: path.join(venvBin, 'python'), workDir, bucket: 'ecodata-backups', log: io.out });
      cleanUps.push(() => store.stop());
      const home = ownedDir(path.join(workDir, 'home'), owner, 0o755);
      const env: NodeJS.ProcessEnv = { ...process.env, ...store.env, HOME: home };
      const version = await barmanVersion(venvBin, { env, owner });
      const target: BarmanTarget = { bin: venvBin, endpoint: store.endpoint, destination: `s3://${store.bucket}/drill`, serverName: 'database' };

      const primary = await startPrimary(path.join(workDir, 'primary'), { command: archiveCommand(target, options.walCompression), timeout: options.archiveTimeout }, { env, owner });
      cleanUps.push(() => primary.stop('immediate'));
      io.out(`PostgreSQL primary on 127.0.0.1:${primary.port}: archive_command ${version} to ${target.destination}/${target.serverName}, archive_timeout ${options.archiveTimeout}, WAL ${options.walCompression}`);
      await query(primary.url, CREATE_TABLE, { expectRow: false });

      const writer = new Writer(primary.url, options.writeRps);
      await writer.start();
      cleanUps.push(() => writer.stop());
      const backupStarted = performance.now();
      const backupId = await baseBackup(target, primary.port, 'gzip', { env, owner });
      const backupMs = performance.now() - backupStarted;
      io.out(`base backup ${backupId} with barman-cloud-backup in ${formatMs(backupMs)} (${writer.acknowledged} writes acknowledged so far)`);

      await sleep(options.beforeMs);
      const targetSentAt = performance.now();
      const { t: targetTime } = await query<{ t: string }>(primary.url, 'SELECT clock_timestamp()::text AS t');
      const targetMark: TargetMark = { sentAt: targetSentAt, answeredAt: performance.now() };
      io.out(`target time ${targetTime} (${writer.acknowledged} writes acknowledged before it)`);

      // Recovery to a time needs a commit after it in the archive, so wait for one.
      await waitFor('a write after the target', async () => writer.writes.some((w) => w.ackedAt !== undefined && w.sentAt > targetMark.answeredAt), 30_000);
      const { wal: walAfterTarget } = await query<{ wal: string }>(primary.url, 'SELECT pg_walfile_name(pg_current_wal_lsn()) AS wal');
      const archiveDeadlineMs = postgresDurationSeconds(options.archiveTimeout) * 1000 + 60_000;
      let archiveFailures = '0';
      await waitFor(
        `WAL segment ${walAfterTarget} to be archived`,
        async () => {
          const { archived, failed } = await query<{ archived: string | null; failed: string }>(primary.url, 'SELECT last_archived_wal AS archived, failed_count::text AS failed FROM pg_stat_archiver');
          archiveFailures = failed;
          return archived !== null && archived >= walAfterTarget;
        },
        archiveDeadlineMs,
        200,
      ).catch((error: Error) => {
        throw new DrillFailure(`WAL archiving fell behind (${archiveFailures} failed barman-cloud-wal-archive calls so far): ${error.message}`, { cause: error });
      });
      // PostgreSQL retries a failed archive_command; a failure only matters if it never catches up.
      if (archiveFailures !== '0') io.out(`note: barman-cloud-wal-archive failed ${archiveFailures} time(s) and was retried by PostgreSQL`);
      const archivedAfterMs = performance.now() - targetMark.answeredAt;
      io.out(`WAL segment ${walAfterTarget} (a commit after the target) archived ${formatMs(archivedAfterMs)} after it`);
      await sleep(options.afterMs);

      // The worst moment to lose the primary: right after archive_timeout switched to a new
      // segment, before the finished one is archived; nearly a whole archive_timeout of
      // acknowledged writes then exists only on the lost disk. That is the RPO measured.
      const currentWal = async () => (await query<{ wal: string }>(primary.url, 'SELECT pg_walfile_name(pg_current_wal_lsn()) AS wal')).wal;
      const segment = await currentWal();
      await waitFor(`the switch away from WAL segment ${segment}`, async () => (await currentWal()) !== segment, archiveDeadlineMs, 20);
      const lostAt = performance.now();
      await primary.stop('immediate');
      await writer.stop();
      const written = writer.writes.length;
      io.out(`primary lost (pg_ctl stop -m immediate) right after the switch away from ${segment}, after ${writer.acknowledged} acknowledged writes of ${written}`);

      const restoreOrFail = (folder: string, time: string | undefined) =>
        restore(target, backupId, path.join(workDir, folder), time, env, owner).catch((error: Error) => {
          throw new DrillFailure(`the restore ${time ? `to ${time}` : 'to the end of the archive'} failed: ${error.message}`, { cause: error });
        });
      const pitr = await restoreOrFail('restore-pitr', targetTime);
      const pointInTime = checkPointInTime(writer.writes, targetMark, pitr.ids);
      const latest = await restoreOrFail('restore-latest', undefined);
      const endOfArchive = checkEndOfArchive(writer.writes, lostAt, latest.ids);

      io.out('');
      io.out(
        table(
          ['restore', 'expected', 'restored', 'lost', 'unexpected', 'barman-cloud-restore', 'WAL replay', 'total'],
          [
            [
              `to ${targetTime}`,
              String(pointInTime.before),
              String(pointInTime.before - pointInTime.missingBefore.length),
              String(pointInTime.missingBefore.length),
              String(pointInTime.presentAfter.length),
              seconds(pitr.fetchMs),
              seconds(pitr.replayMs),
              seconds(pitr.fetchMs + pitr.replayMs),
            ],
            [
              'to the end of the archive',
              String(endOfArchive.acknowledged),
              String(endOfArchive.recovered),
              String(endOfArchive.gaps.length),
              '-',
              seconds(latest.fetchMs),
              seconds(latest.replayMs),
              seconds(latest.fetchMs + latest.replayMs),
            ],
          ],
        ),
      );
      io.out('');
      io.out(`point in time: ${pointInTime.before} writes acknowledged before the target, ${pointInTime.after} sent after it, ${pointInTime.inFlight} in flight while it was read`);
      io.out(
        `RPO: ${seconds(endOfArchive.rpoMs)} (the acknowledged writes of the last ${seconds(endOfArchive.rpoMs)} before the loss were not archived yet: ` +
          `${endOfArchive.acknowledged - endOfArchive.recovered} writes; archive_timeout ${options.archiveTimeout})`,
      );
      io.out(`restore time: ${seconds(pitr.fetchMs + pitr.replayMs)} to the target, ${seconds(latest.fetchMs + latest.replayMs)} to the end of the archive; base backup ${seconds(backupMs)}`);

      const problems: string[] = [];
      if (pointInTime.missingBefore.length > 0) problems.push(`${pointInTime.missingBefore.length} write(s) acknowledged before the target are missing (ids ${pointInTime.missingBefore.slice(0, 10).join(', ')})`);
      if (pointInTime.presentAfter.length > 0) problems.push(`${pointInTime.presentAfter.length} write(s) sent after the target were restored (ids ${pointInTime.presentAfter.slice(0, 10).join(', ')})`);
      if (endOfArchive.gaps.length > 0) problems.push(`${endOfArchive.gaps.length} acknowledged write(s) missing before the newest restored one (ids ${endOfArchive.gaps.slice(0, 10).join(', ')})`);
      if (options.maxRpoMs !== undefined && endOfArchive.rpoMs > options.maxRpoMs) problems.push(`RPO ${formatMs(endOfArchive.rpoMs)} above --max-rpo ${formatMs(options.maxRpoMs)}`);
      if (pointInTime.before === 0 || pointInTime.after === 0) problems.push('no writes on one side of the target: raise --before/--after or --write-rps');
      if (problems.length > 0) throw new DrillFailure(problems.join('; '));
      io.out('acknowledged writes lost: 0');
    } finally {
      for (const cleanUp of cleanUps.reverse()) await cleanUp().catch(() => undefined);
    }
  },
};
