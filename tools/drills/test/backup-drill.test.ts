// The backup drill end to end with the real tools: PostgreSQL 15, barman-cloud-* from
// .build/venv and SeaweedFS from tools/cluster/build.sh (all installed by .ci/setup), with a
// 5 s archive_timeout so it fits a test. Timings are printed, not asserted (bench/ is where
// speed is judged); what is asserted is that no acknowledged write was lost or invented.
import { main } from '../src/cli';
import { captureIo } from './support/io';

jest.setTimeout(240_000);

test('archives, backs up and restores to a point in time and to the end of the archive without losing an acknowledged write', async () => {
  const io = captureIo();
  const code = await main(['backup-drill', '--archive-timeout', '5s', '--before', '1s', '--after', '1s', '--write-rps', '40'], io);
  process.stdout.write(`${io.stdout()}\n`);
  expect([code, io.stderr()]).toEqual([0, '']);
  const out = io.stdout();
  expect(out).toMatch(/^SeaweedFS \(.+\) S3 on http:\/\/127\.0\.0\.1:\d+, bucket ecodata-backups$/m);
  expect(out).toMatch(/archive_command barman-cloud-wal-archive 3\.19\.1 to s3:\/\/ecodata-backups\/drill\/database, archive_timeout 5s/);
  expect(out).toMatch(/^base backup \d{8}T\d{6} with barman-cloud-backup in /m);

  // Point in time: as many restored as expected, none lost, none from after the target.
  const pointInTime = /^to (\S+ \S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s/m.exec(out);
  expect(pointInTime).not.toBeNull();
  const [, , expected, restored, lost, unexpected] = pointInTime!.map(Number);
  expect(expected).toBeGreaterThan(0);
  expect([restored, lost, unexpected]).toEqual([expected, 0, 0]);

  // End of the archive: no gap; what is missing at the end is the RPO, reported.
  const endOfArchive = /^to the end of the archive\s+(\d+)\s+(\d+)\s+(\d+)\s/m.exec(out);
  expect(endOfArchive).not.toBeNull();
  expect(Number(endOfArchive![3])).toBe(0);
  expect(Number(endOfArchive![2])).toBeGreaterThan(expected);
  expect(out).toMatch(/^RPO: \S+ \(.*archive_timeout 5s\)$/m);
  expect(out).toMatch(/^acknowledged writes lost: 0$/m);
});
