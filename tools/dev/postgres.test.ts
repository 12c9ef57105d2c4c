import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findPostgresBin } from './postgres';

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
