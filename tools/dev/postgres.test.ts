import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../app/api/test/support/postgres';
import { findPostgresBin, startLocalPostgres } from './postgres';

describe('findPostgresBin', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-pgbin-'));
  const fakeBin = (dir: string) => {
    fs.mkdirSync(dir, { recursive: true });
    for (const tool of ['initdb', 'pg_ctl']) fs.writeFileSync(path.join(dir, tool), '');
    return dir;
  };
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('picks the newest installed major version', () => {
    fakeBin(path.join(root, 'lib', '9', 'bin'));
    const newest = fakeBin(path.join(root, 'lib', '15', 'bin'));
    fs.mkdirSync(path.join(root, 'lib', '16'));
    expect(findPostgresBin({ PATH: '' }, path.join(root, 'lib'))).toBe(newest);
  });

  it('prefers PG_BIN_DIR, and reports nothing when it lacks the binaries', () => {
    const custom = fakeBin(path.join(root, 'custom'));
    expect(findPostgresBin({ PG_BIN_DIR: custom }, path.join(root, 'lib'))).toBe(custom);
    expect(findPostgresBin({ PG_BIN_DIR: path.join(root, 'empty') }, path.join(root, 'lib'))).toBeUndefined();
  });

  it('falls back to the PATH', () => {
    const onPath = fakeBin(path.join(root, 'path-bin'));
    expect(findPostgresBin({ PATH: ['/nonexistent', onPath].join(path.delimiter) }, path.join(root, 'none'))).toBe(onPath);
  });
});

describe('startLocalPostgres', () => {
  it('creates the cluster in a fresh checkout\'s .build/dev, reachable by the postgres user when run as root', async () => {
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-clone-'));
    fs.chmodSync(clone, 0o755);
    const dataDir = path.join(clone, '.build', 'dev', 'postgres');
    const binDir = findPostgresBin();
    if (!binDir) throw new Error('PostgreSQL server binaries are required (install postgresql)');
    const server = await startLocalPostgres({ dataDir, port: await freePort(), binDir, log: () => undefined });
    try {
      // Parents get the default mode (others may pass through); only the data directory is private.
      for (const dir of [path.join(clone, '.build'), path.join(clone, '.build', 'dev')]) expect(fs.statSync(dir).mode & 0o001).toBe(0o001);
      expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await expect(client.query('SELECT 1 AS one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
      await client.end();
    } finally {
      await server.stop();
      fs.rmSync(clone, { recursive: true, force: true });
    }
  }, 60_000);
});
