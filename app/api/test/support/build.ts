// Bundles the real commands (server, migrate) once per test process into a temp directory,
// with the same build script as production, so tests can run them as child processes.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const apiRoot = path.resolve(__dirname, '..', '..');
export const migrationsDir = path.join(apiRoot, 'migrations');

let built: Promise<string> | undefined;

/** Directory holding server.js and migrate.js; run them with {@link commandEnv}. */
export function buildCommands(): Promise<string> {
  built ??= (async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-api-build-'));
    process.once('exit', () => fs.rmSync(outdir, { recursive: true, force: true }));
    // A child process: esbuild's JS API leaves a service process (or worker) running that
    // would keep jest and other callers alive.
    await promisify(execFile)(process.execPath, [path.join(apiRoot, 'scripts', 'build.js'), outdir]);
    return outdir;
  })();
  return built;
}

/** Environment for a command built into a temp directory (it cannot find ../migrations). */
export function commandEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, MIGRATIONS_DIR: migrationsDir, LOG_LEVEL: 'warn', ...extra };
}

/** The flags between `node` and the script in app/api/Dockerfile's exec-form CMD: what the image runs. */
export function imageNodeArgs(): string[] {
  const dockerfile = fs.readFileSync(path.join(apiRoot, 'Dockerfile'), 'utf8');
  const cmd = /^CMD (\[.*\])$/m.exec(dockerfile);
  if (!cmd) throw new Error('app/api/Dockerfile has no exec-form CMD line');
  const argv = JSON.parse(cmd[1]) as string[];
  return argv.slice(1, -1);
}
