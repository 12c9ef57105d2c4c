// Runs the drill's external programs (PostgreSQL's, Barman Cloud's, SeaweedFS's) and keeps
// their output for the error message. PostgreSQL refuses to run as root, so when the drill
// runs as root the PostgreSQL side (server, barman-cloud-* tools) runs as the `postgres` user.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface RunAs {
  readonly uid?: number;
  readonly gid?: number;
}

/** The `postgres` user when running as root, else the current user. */
export function postgresOwner(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root, PostgreSQL needs a `postgres` user to run as (install postgresql-15)');
  }
}

/** Creates a folder the owner may write (PostgreSQL wants 0700 data folders). */
export function ownedDir(dir: string, owner: RunAs, mode = 0o700): string {
  fs.mkdirSync(dir, { recursive: true, mode });
  fs.chmodSync(dir, mode);
  if (owner.uid !== undefined) fs.chownSync(dir, owner.uid, owner.gid ?? owner.uid);
  return dir;
}

export interface RunOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly owner?: RunAs;
  readonly cwd?: string;
}

/** Runs a program to completion; rejects with its output when it exits non-zero. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { ...options.owner, cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve(output) : reject(new Error(`${path.basename(command)} ${args[0] ?? ''} exited with ${code ?? signal}: ${output.trim().split('\n').slice(-8).join('\n')}`)),
    );
  });
}

/** A long-running process whose output goes to a log file. */
export function startLogged(command: string, args: readonly string[], logFile: string, options: RunOptions): ChildProcess {
  const log = fs.openSync(logFile, 'a');
  try {
    return spawn(command, [...args], { ...options.owner, cwd: options.cwd, env: options.env, stdio: ['ignore', log, log] });
  } finally {
    fs.closeSync(log);
  }
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true; rejects after `timeoutMs` with `what` in the message. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
}
