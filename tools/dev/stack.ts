// `npm run dev`: the whole application on this machine, no Docker. Starts PostgreSQL (the
// local server binaries; DATABASE_URL overrides) and the LOCAL OpenID provider (documented dev
// users, one per role: tools/oidc/local-identities.ts), applies the migrations, builds and
// starts the API and the front, prints the URL and how to sign in. Ctrl-C stops everything,
// front first.
//
// Environment: DATABASE_URL (use that database instead of a local cluster), FRONT_PORT (3000),
// API_PORT (3001), DEV_OIDC_PORT (3002), FRONT_MANAGEMENT_PORT (3010), API_MANAGEMENT_PORT
// (3011), DEV_PG_PORT (54329), LOG_LEVEL (info), PG_BIN_DIR (PostgreSQL binaries).
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { LOCAL_ROLE_MAPPING, LOCAL_USERS } from '../oidc/local-identities';
import { type LocalOidcProvider, startLocalOidcProvider } from '../oidc/local-provider';
import { apiSignInEnv, frontSecretValues, frontSignInEnv } from '../oidc/local-sign-in-env';
import { repositoryRoot } from '../repo-root';
import { findPostgresBin, type LocalPostgres, startLocalPostgres } from './postgres';

const root = repositoryRoot();
const env = process.env;
const frontPort = Number(env.FRONT_PORT ?? 3000);
const apiPort = Number(env.API_PORT ?? 3001);
const pgPort = Number(env.DEV_PG_PORT ?? 54329);
const oidcPort = Number(env.DEV_OIDC_PORT ?? 3002);
const frontManagementPort = Number(env.FRONT_MANAGEMENT_PORT ?? 3010);
const apiManagementPort = Number(env.API_MANAGEMENT_PORT ?? 3011);

const log = (line: string) => console.log(`[dev] ${line}`);
const children: Array<{ name: string; child: ChildProcess }> = [];
let postgres: LocalPostgres | undefined;
let oidc: LocalOidcProvider | undefined;
let stopping = false;

async function main(): Promise<void> {
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    const binDir = findPostgresBin();
    if (!binDir) {
      throw new Error('No PostgreSQL server binaries found (looked in PG_BIN_DIR, /usr/lib/postgresql/*/bin, PATH).\n' +
        '      Install them (Debian: apt-get install postgresql-15) or set DATABASE_URL to an existing database.');
    }
    postgres = await startLocalPostgres({ dataDir: path.join(root, '.build', 'dev', 'postgres'), port: pgPort, binDir, log });
    databaseUrl = postgres.url;
  }

  log('building the API and the front (esbuild)');
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { buildApi } = require(path.join(root, 'app/api/scripts/build.js')) as { buildApi(): Promise<string> };
  const { buildFront } = require(path.join(root, 'app/front/scripts/build.js')) as { buildFront(): Promise<string> };
  /* eslint-enable @typescript-eslint/no-require-imports */
  await Promise.all([buildApi(), buildFront()]);

  log('applying migrations');
  const common = { ...env, APP_ENV: 'local', APP_VERSION: env.APP_VERSION ?? 'dev', LOG_LEVEL: env.LOG_LEVEL ?? 'info' };
  const migrate = start('migrate', path.join(root, 'app/api/build/migrate.js'), { ...common, DATABASE_URL: databaseUrl });
  const migrateCode = await new Promise<number | null>((resolve) => migrate.once('exit', resolve));
  if (migrateCode !== 0) throw new Error(`migrations failed (exit ${migrateCode})`);

  const publicUrl = `http://localhost:${frontPort}`;
  log('starting the local OpenID provider (local only: its users and secrets are published)');
  oidc = await startLocalOidcProvider({
    port: oidcPort,
    frontRedirectUris: [`${publicUrl}/auth/callback`],
    frontPostLogoutRedirectUris: [`${publicUrl}/`],
    log: (line) => console.error(`[oidc] ${line}`),
  });
  const anonymousRead = { ANONYMOUS_READ: env.ANONYMOUS_READ ?? 'false' };

  const apiUrl = `http://127.0.0.1:${apiPort}`;
  start('api', path.join(root, 'app/api/build/server.js'), {
    ...common,
    ...apiSignInEnv(oidc.issuer),
    ...anonymousRead,
    DATABASE_URL: databaseUrl,
    PORT: String(apiPort),
    MANAGEMENT_PORT: String(apiManagementPort),
  });
  start('front', path.join(root, 'app/front/build/server.js'), {
    ...common,
    ...frontSignInEnv(oidc.issuer, publicUrl),
    // A new session key per run: restarting the stack signs everybody out, fine locally.
    ...frontSecretValues(),
    ...anonymousRead,
    API_URL: apiUrl,
    API_MANAGEMENT_URL: `http://127.0.0.1:${apiManagementPort}`,
    PORT: String(frontPort),
    MANAGEMENT_PORT: String(frontManagementPort),
    TRUST_PROXY: 'false',
  });
  await Promise.all([waitReady(`http://127.0.0.1:${apiManagementPort}/readyz`), waitReady(`http://127.0.0.1:${frontManagementPort}/readyz`)]);
  const users = Object.values(LOCAL_USERS)
    .map((u) => `    ${u.login.padEnd(9)} password ${u.password.padEnd(20)} ${u.groups.length ? `role ${LOCAL_ROLE_MAPPING[u.groups[0]]}` : 'no role (is refused everything)'}`)
    .join('\n');
  console.log(
    `\n  EcoData is running at ${publicUrl}\n` +
      `  Sign in at the LOCAL OpenID provider (${oidc.issuer}, for development only) as:\n${users}\n` +
      `  API: ${apiUrl} (bearer tokens from that provider; seed demo data: npm run seed)\n` +
      '  Ctrl-C stops everything.\n',
  );
}

/** Runs a built command with node; its output is prefixed with its name; an unexpected exit stops the stack. */
function start(name: string, script: string, childEnv: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', script], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) stream.write(`[${name}] ${line}\n`);
  };
  child.stdout?.on('data', prefix(process.stdout));
  child.stderr?.on('data', prefix(process.stderr));
  const entry = { name, child };
  children.push(entry);
  child.once('exit', (code, signal) => {
    children.splice(children.indexOf(entry), 1);
    if (!stopping && name !== 'migrate') {
      log(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping`);
      void stop(1);
    }
  });
  return child;
}

async function waitReady(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} was not ready within ${timeoutMs / 1000} s`);
}

/** Front first (it depends on the API), then the API, then PostgreSQL. */
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  log('stopping');
  for (const name of ['front', 'api', 'migrate']) {
    const entry = children.find((c) => c.name === name);
    if (!entry) continue;
    const exited = new Promise((resolve) => entry.child.once('exit', resolve));
    entry.child.kill('SIGTERM');
    const timer = setTimeout(() => entry.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  await oidc?.stop();
  await postgres?.stop();
  log('stopped');
  process.exit(code);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
main().catch((error: unknown) => {
  console.error(`[dev] ${error instanceof Error ? error.message : String(error)}`);
  void stop(1);
});
