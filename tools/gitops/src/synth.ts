import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Environment } from './environments';
import { GitopsError } from './errors';

/**
 * Re-renders one environment with the repository's own synth runner, in a child process and
 * in the target repository, so the manifests always come from the constructs of the commit
 * being changed, never from a copy bundled into this CLI.
 *
 * It runs the `synth` script of the repository's package.json with `--env <env>`, exactly
 * what `npm run synth -- --env <env>` runs, but through `sh -c` directly (with
 * node_modules/.bin on PATH, as npm does): npm's own startup would add about half a second
 * to every bump.
 */
export function synthEnvironment(root: string, env: Environment): void {
  const script = synthScript(root);
  const bin = path.join(root, 'node_modules', '.bin');
  const result = spawnSync('sh', ['-c', `${script} --env ${env}`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, FORCE_COLOR: '0' },
  });
  if (result.error) throw new GitopsError(`synth could not be started: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stderr}\n${result.stdout}`.trim().split('\n').slice(-15).join('\n');
    throw new GitopsError(`synth of ${env} failed (exit ${result.status}):\n${output}`);
  }
}

function synthScript(root: string): string {
  let script: unknown;
  try {
    script = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> }).scripts?.synth;
  } catch (error) {
    throw new GitopsError(`cannot read package.json: ${(error as Error).message}`);
  }
  if (typeof script !== 'string' || script.trim() === '') throw new GitopsError('package.json has no "synth" script to re-render the environment');
  return script;
}
