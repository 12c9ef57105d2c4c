import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '..', '..');
// A port nothing listens on: if the command tried to import, it would fail to connect.
const seed = (...args: string[]) =>
  promisify(execFile)(process.execPath, [path.join(root, 'tools', 'run-ts.cjs'), 'tools/dev/seed.ts', ...args], {
    cwd: root,
    env: { ...process.env, API_URL: 'http://127.0.0.1:9' },
  });

describe('npm run seed', () => {
  it('prints its help for --help and -h without importing anything', async () => {
    for (const flag of ['--help', '-h']) {
      const { stdout, stderr } = await seed(flag);
      expect(stdout).toMatch(/^Usage: npm run seed/);
      expect(stdout).toContain('API_URL');
      expect(stderr).not.toContain('cannot reach the API');
    }
  });

  it('refuses an unknown option with exit code 2 and the usage', async () => {
    await expect(seed('--nope')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: npm run seed') });
  });
});
