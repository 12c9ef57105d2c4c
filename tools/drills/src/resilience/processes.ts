// Child processes of the drill (API instances, the front): started with a log file each,
// killed with any signal, and always SIGKILLed when the drill exits.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { fetchWithDeadline } from '../http';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

export class ServiceProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logFile: string,
  ) {}

  start(): void {
    if (this.child) throw new Error(`${this.name} is already running`);
    installExitHook();
    const log = fs.openSync(this.logFile, 'a');
    const child = spawn(process.execPath, [this.script], { env: this.env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    running.add(child);
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        running.delete(child);
        if (this.child === child) this.child = undefined;
        resolve();
      }),
    );
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get alive(): boolean {
    return this.child !== undefined;
  }

  /** Sends `signal` and waits until the process has exited. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.child) return;
    this.child.kill(signal);
    await this.exited;
  }

  /** The last lines of its log, for failure messages. */
  logTail(lines = 20): string {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

/** Polls `url` until it answers 200 or `timeoutMs` passes; returns the time it took. */
export async function waitForOk(url: string, timeoutMs: number, isAlive: () => boolean = () => true): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const { response } = await fetchWithDeadline(url, {}, 1000);
      if (response.status === 200) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (!isAlive()) throw new Error(`the process behind ${url} exited`);
    if (Date.now() - started > timeoutMs) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
