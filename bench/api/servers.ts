// What the API benchmarks share: the two servers (the real API bundle with the image's node
// flags, and bare.ts), the request scenarios, and readings of a server process from /proc.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { commandEnv } from '../../app/api/test/support/build';
import { freePort } from '../../app/api/test/support/postgres';
import { startLocalOidcProvider } from '../../tools/oidc/local-provider';
import { apiSignInEnv } from '../../tools/oidc/local-sign-in-env';

/** The API checks bearer tokens: a real local provider, the API's settings for it, an editor's token. */
export interface BenchAuth {
  readonly env: NodeJS.ProcessEnv;
  /** The `sub` of the token: the author the API records. */
  readonly subject: string;
  /** Sent with every request, to both servers (bare.ts ignores it, so its cost is the API's). */
  readonly headers: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startBenchAuth(): Promise<BenchAuth> {
  const provider = await startLocalOidcProvider();
  // The station-uploader's token lives 10 minutes; a run reuses it, as a machine client would.
  const token = await provider.machineToken('station-uploader');
  return {
    env: apiSignInEnv(provider.issuer),
    subject: 'station-uploader',
    headers: { authorization: `Bearer ${token}` },
    stop: () => provider.stop(),
  };
}

export const seedRows = 10_000;

export interface Scenario {
  readonly id: 'by-id' | 'list' | 'post';
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: () => string;
  readonly body?: string;
}

export const scenarios: readonly Scenario[] = [
  { id: 'by-id', name: 'GET /api/measurements/:id', method: 'GET', path: () => `/api/measurements/${1 + Math.floor(Math.random() * seedRows)}` },
  { id: 'list', name: 'GET /api/measurements (50 rows)', method: 'GET', path: () => '/api/measurements' },
  {
    id: 'post',
    name: 'POST /api/measurements',
    method: 'POST',
    path: () => '/api/measurements',
    body: JSON.stringify({ station: 'bench', kind: 'temperature', value: 21.5, unit: 'celsius' }),
  },
];

/** Bundles bench/api/<name>.ts (bare, koa-floor) into `dir`, with a source map for profiles, and returns the file. */
export function buildBenchServer(dir: string, name: 'bare' | 'koa-floor'): string {
  const file = path.join(dir, `${name}.js`);
  execFileSync(require.resolve('esbuild/bin/esbuild'), [
    path.join(__dirname, `${name}.ts`),
    '--bundle',
    '--platform=node',
    '--sourcemap=linked',
    '--sources-content=false',
    `--outfile=${file}`,
    '--external:pg-native',
    '--log-level=warning',
  ]);
  return file;
}

export interface Server {
  readonly port: number;
  readonly child: ChildProcess;
}

/**
 * Starts a server bundle on a free port and waits until it answers GET /api/measurements/1.
 * The API logs at the image's level (info: config.ts default, LOG_LEVEL in dist/), so every
 * write costs its "measurement written" line as in production; its stdout goes to a file (the
 * container runtime's log pipe in production), by default `<bundle>.stdout.log`, or to the
 * file descriptor `stdout`. bare.ts and koa-floor.ts log nothing.
 */
export async function launch(file: string, databaseUrl: string, nodeArgs: readonly string[], auth: BenchAuth, stdout?: number): Promise<Server> {
  const port = await freePort();
  const log = stdout ?? fs.openSync(`${file}.stdout.log`, 'a');
  const child = spawn(process.execPath, [...nodeArgs, file], {
    env: commandEnv({ DATABASE_URL: databaseUrl, PORT: String(port), MANAGEMENT_PORT: String(await freePort()), LOG_LEVEL: 'info', PG_POOL_MAX: '10', BENCH_SUBJECT: auth.subject, ...auth.env }),
    stdio: ['ignore', log, 'inherit'],
  });
  // The child has its own copy of the descriptor.
  if (stdout === undefined) fs.closeSync(log);
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await new Promise<boolean>((resolve) =>
      http
        .get({ host: '127.0.0.1', port, path: '/api/measurements/1', headers: auth.headers }, (res) => {
          res.resume();
          resolve(res.statusCode === 200);
        })
        .on('error', () => resolve(false)),
    );
    if (up) return { port, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${file} did not start`);
}

/** Stops a server with SIGTERM and waits for it to exit (profiles are written at exit). */
export function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** User + system CPU time of a process so far, in ms (from /proc/<pid>/stat, 10 ms ticks). */
export function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
