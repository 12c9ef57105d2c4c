// Background processes of the control plane: started detached (they outlive `cluster up`),
// each in its own process group with its output in a log file, stopped by pid.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Started {
  readonly name: string;
  readonly pid: number;
  readonly log: string;
}

/** Starts `command` detached, appending its stdout and stderr to `<logDir>/<name>.log`. */
export function startProcess(name: string, command: string, args: readonly string[], logDir: string, env: NodeJS.ProcessEnv = process.env): Started {
  const log = path.join(logDir, `${name}.log`);
  const fd = fs.openSync(log, 'a');
  try {
    const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd], env });
    if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
    child.unref();
    return { name, pid: child.pid, log };
  } finally {
    fs.closeSync(fd);
  }
}

export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The last lines of a log file, for error messages. */
export function logTail(file: string, lines = 15): string {
  if (!fs.existsSync(file)) return '(no log)';
  return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM to the process group, then SIGKILL after `graceMs` for whatever is left. */
export async function stopProcess(pid: number, graceMs = 10_000): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  for (const deadline = Date.now() + graceMs; Date.now() < deadline && isRunning(pid); ) await sleep(50);
  if (isRunning(pid)) signal('SIGKILL');
  for (const deadline = Date.now() + 5_000; Date.now() < deadline && isRunning(pid); ) await sleep(50);
}

/** The synchronous last resort for an exiting parent (an `exit` handler cannot await). */
export function killNow(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Polls `check` until it resolves true. Fails at once when `process` has exited (with the
 * tail of its log), or after `timeoutMs`.
 */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, process?: Started): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (process && !isRunning(process.pid)) throw new Error(`${process.name} exited while waiting for ${what}; ${process.log}:\n${logTail(process.log)}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${process ? `; ${process.log}:\n${logTail(process.log)}` : ''}`);
    await sleep(200);
  }
}
