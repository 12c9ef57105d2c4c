import { spawnSync } from 'node:child_process';
import { SOURCE_ROOT, gitops } from './temp-repo';

describe('gitops command line', () => {
  test('npm run gitops -- --help lists every command and exits 0', () => {
    const result = spawnSync('npm', ['run', '--silent', 'gitops', '--', '--help'], { cwd: SOURCE_ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    for (const command of ['bump', 'promote', 'rollback', 'diff', 'status', 'push']) expect(result.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });

  test.each(['bump', 'promote', 'rollback', 'diff', 'status', 'push'])('%s --help prints its usage and exits 0', async (command) => {
    const result = await gitops(SOURCE_ROOT, command, '--help');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(new RegExp(`^Usage: gitops ${command}`));
  });

  test('an unknown command exits 2 and names the known ones', async () => {
    const result = await gitops(SOURCE_ROOT, 'deploy');
    expect(result.code).toBe(2);
    expect(result.err).toContain('unknown command "deploy" (expected one of bump, promote, rollback, diff, status, push)');
  });

  test('an unknown option exits 2 with a pointer to --help', async () => {
    const result = await gitops(SOURCE_ROOT, 'bump', '--env', 'dev', '--force');
    expect(result.code).toBe(2);
    expect(result.err).toContain("Unknown option '--force'");
    expect(result.err).toContain('npm run gitops -- bump --help');
  });

  test('a missing required option exits 2', async () => {
    const result = await gitops(SOURCE_ROOT, 'rollback');
    expect(result.code).toBe(2);
    expect(result.err).toContain('--env is required');
  });

  test('a positional argument is rejected', async () => {
    const result = await gitops(SOURCE_ROOT, 'status', 'dev');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/positional argument/i);
  });
});
