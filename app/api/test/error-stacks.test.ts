// Logged error stacks name src/*.ts lines although the image runs without
// --enable-source-maps: the logger maps them through the bundle's map (src/stack-map.ts).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { apiSignInEnv } from '../../../tools/oidc/local-sign-in-env';
import { apiRoot, buildCommands, commandEnv, imageNodeArgs } from './support/build';
import { createTestDatabase, type TestDatabase } from './support/database';
import { editorToken, testIssuer } from './support/oidc';
import { freePort, startPostgres, type PostgresServer } from './support/postgres';

const esbuild = require.resolve('esbuild/bin/esbuild');

describe('mapStack on a bundle run without --enable-source-maps', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-stack-map-'));
    // The throw is on line 5 of the fixture; the bundle is minified as the API's is.
    fs.writeFileSync(
      path.join(dir, 'fixture.ts'),
      [
        `import { mapStack } from ${JSON.stringify(path.join(apiRoot, 'src/stack-map.ts'))};`,
        'export function failingStep(): never {',
        '  const reason = "the fixture failed";',
        '  // the next line throws',
        '  throw new Error(reason);',
        '}',
        'try { failingStep(); } catch (error) {',
        '  const stack = (error as Error).stack ?? "";',
        '  console.log(JSON.stringify({ raw: stack, mapped: mapStack(stack) }));',
        '}',
      ].join('\n'),
    );
    execFileSync(esbuild, [path.join(dir, 'fixture.ts'), '--bundle', '--platform=node', '--minify-whitespace', '--minify-syntax', '--sourcemap=linked', '--sources-content=false', `--outfile=${path.join(dir, 'out', 'fixture.js')}`, '--log-level=warning']);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = () => JSON.parse(execFileSync(process.execPath, [path.join(dir, 'out', 'fixture.js')], { encoding: 'utf8' })) as { raw: string; mapped: string };

  it('rewrites the bundle positions of a stack to the source file, line and column', () => {
    const { raw, mapped } = run();
    expect(raw).toMatch(/fixture\.js:1:\d+/);
    expect(mapped).toContain(`at failingStep (${path.join(dir, 'fixture.ts')}:5:9)`);
    expect(mapped).not.toContain('fixture.js:');
  });

  it('leaves the stack as it is when the map is missing', () => {
    fs.renameSync(path.join(dir, 'out', 'fixture.js.map'), path.join(dir, 'out', 'moved.map'));
    try {
      const { raw, mapped } = run();
      expect(mapped).toBe(raw);
    } finally {
      fs.renameSync(path.join(dir, 'out', 'moved.map'), path.join(dir, 'out', 'fixture.js.map'));
    }
  });
});

describe('the built server with the image flags', () => {
  let server: PostgresServer;
  let database: TestDatabase;
  beforeAll(async () => {
    server = await startPostgres();
    database = await createTestDatabase(server.url);
  });
  afterAll(async () => {
    await database.drop();
    await server.stop();
  });

  it('logs a failed request with a stack in src/*.ts positions', async () => {
    const dir = await buildCommands();
    const port = await freePort();
    const token = await editorToken();
    const child = spawn(process.execPath, [...imageNodeArgs(), path.join(dir, 'server.js')], {
      env: commandEnv({
        DATABASE_URL: database.url,
        PORT: String(port),
        MANAGEMENT_PORT: String(await freePort()),
        ...apiSignInEnv(testIssuer()),
        LOG_LEVEL: 'warn',
      }),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    try {
      const get = () =>
        new Promise<number>((resolve) => {
          http
            .get({ host: '127.0.0.1', port, path: '/api/measurements', headers: { authorization: `Bearer ${token}` } }, (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            })
            .on('error', () => resolve(0));
        });
      for (let attempt = 0; attempt < 100 && (await get()) !== 200; attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
      // A column the list query selects disappears: PostgreSQL answers an error the API has no
      // name for, so it is a 500 with its stack in the log.
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      await admin.query('ALTER TABLE measurements RENAME COLUMN unit TO unit_gone');
      await admin.end();
      expect(await get()).toBe(500);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const failed = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { msg: string; err?: { stack: string } })
        .find((line) => line.msg === 'request failed');
      expect(failed?.err?.stack).toContain(path.join(apiRoot, 'src/measurements/repository.ts'));
      expect(failed?.err?.stack).not.toContain('server.js:');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });
});
