import { spawnSync } from 'node:child_process';
import { type Environment } from './environments';
import { GitopsError } from './errors';

/**
 * Re-renders one environment with the repository's own synth runner (`npm run synth --
 * --env <env>`), in a child process and in the target repository: the manifests are always
 * produced by the constructs of the commit being changed, never by a copy bundled into this CLI.
 */
export function synthEnvironment(root: string, env: Environment): void {
  const result = spawnSync('npm', ['run', '--silent', 'synth', '--', '--env', env], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', FORCE_COLOR: '0' },
  });
  if (result.error) throw new GitopsError(`synth could not be started: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-15).join('\n');
    throw new GitopsError(`synth of ${env} failed (exit ${result.status}):\n${output}`);
  }
}
