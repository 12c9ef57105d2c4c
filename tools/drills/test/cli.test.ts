// Argument parsing and --help of every drill, in-process and through the real npm-script
// launcher (tools/run-ts.cjs tools/drills/main.ts).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { DRILLS, main } from '../src/cli';
import { captureIo } from './support/io';

async function run(...argv: string[]) {
  const io = captureIo();
  const code = await main(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('drills CLI', () => {
  it.each(DRILLS.map((drill) => drill.name))('prints the help of %s and exits 0', async (name) => {
    const result = await run(name, '--help');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^Usage: npm run ${name} -- `));
    expect(result.stdout).toMatch(/Exit codes: 0 /);
  });

  it('lists the drills when called without one, and exits 2', async () => {
    const result = await run();
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/smoke .*\n.*load .*\n.*resilience .*\n.*monitoring-check .*\n.*backup-drill /);
  });

  it.each([
    [['nope'], 'drills: unknown drill "nope" (expected one of smoke, load, resilience, monitoring-check, backup-drill)'],
    [['smoke'], 'smoke: --base-url is required (e.g. --base-url http://127.0.0.1:8080)'],
    [['smoke', '--base-url', 'ftp://example.com'], 'smoke: --base-url must be an http(s) URL, got "ftp://example.com"'],
    [['smoke', '--base-url', 'http://x', 'extra'], "smoke: Unexpected argument 'extra'. This command does not take positional arguments"],
    [['smoke', '--base-url', 'http://x', '--timeout-ms', '5s'], 'smoke: --timeout-ms must be a whole number, got "5s"'],
    [['smoke', '--base-url'], "smoke: Option '--base-url <value>' argument missing"],
    [['load', '--base-url', 'http://x', '--steady', '10 minutes'], 'load: --steady must be a duration like 500ms, 10s or 2m, got "10 minutes"'],
    [['load', '--base-url', 'http://x', '--connections', '0'], 'load: --connections must be between 1 and 10000, got 0'],
    [['load', '--base-url', 'http://x', '--max-error-ratio', '2'], 'load: --max-error-ratio must be between 0 and 1, got 2'],
    [['load', '--base-url', 'http://x?a=1'], 'load: --base-url must not have a query or fragment, got "http://x?a=1"'],
    [['resilience', '--faults', 'api-kill,disk-full'], 'resilience: --faults: unknown fault "disk-full" (expected a comma-separated subset of api-kill,pg-restart,pg-crash)'],
    [['resilience', '--api-processes', '9'], 'resilience: --api-processes must be between 1 and 4, got 9'],
    [['resilience', '--settle', '1s'], 'resilience: --settle must be between 2s and 10m, got 1s'],
    [['monitoring-check', '--prometheus-url', 'http://p'], 'monitoring-check: --env is required (one of dev, test, prod)'],
    [['monitoring-check', '--prometheus-url', 'http://p', '--env', 'qa'], 'monitoring-check: --env must be one of dev, test, prod, got "qa"'],
    [['monitoring-check', '--env', 'dev'], 'monitoring-check: --prometheus-url is required (e.g. --prometheus-url http://127.0.0.1:8080)'],
    [['backup-drill', '--archive-timeout', '5m'], 'backup-drill: --archive-timeout must be a PostgreSQL duration such as 2s, 60s or 5min, got "5m"'],
    [['backup-drill', '--archive-timeout', '2h'], 'backup-drill: --archive-timeout must be at most 1h, got 2h'],
    [['backup-drill', '--wal-compression', 'zip'], 'backup-drill: --wal-compression must be one of bzip2, gzip, lz4, snappy, xz, zstd, got "zip"'],
    [['backup-drill', '--write-rps', '0'], 'backup-drill: --write-rps must be between 1 and 500, got 0'],
    [['backup-drill', '--max-rpo', 'soon'], 'backup-drill: --max-rpo must be a duration like 500ms, 10s or 2m, got "soon"'],
    [['backup-drill', 'now'], "backup-drill: Unexpected argument 'now'. This command does not take positional arguments"],
  ])('rejects %j with exit code 2 and says why', async (argv, message) => {
    const result = await run(...argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(message);
    expect(result.stderr.split('\n')[1]).toMatch(/^Run "npm run [\w<>-]+ -- --help" for usage\.$/);
  });

  it('runs through the npm-script launcher with the exit codes of the drill', async () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const launch = (...argv: string[]) =>
      promisify(execFile)(process.execPath, [path.join(root, 'tools', 'run-ts.cjs'), 'tools/drills/main.ts', ...argv], { cwd: root, env: process.env });
    const help = await launch('load', '--help');
    expect(help.stdout).toMatch(/^Usage: npm run load -- --base-url <api-url> \[options\]/);
    await expect(launch('load', '--connections', 'many')).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/^load: --base-url is required/) });
  });
});
