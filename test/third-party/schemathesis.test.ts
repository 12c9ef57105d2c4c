// schemathesis (a third-party API fuzzer, PyPI, installed into .build/venv by .ci/setup) against
// the real API on a real PostgreSQL: default checks (no 5xx, documented status codes, content
// types, headers and schemas), positive and negative data, fixed seed, bounded examples
// (test/third-party/schemathesis.toml). Zero failures. Authenticated: the API trusts a real
// local OpenID provider (tools/oidc) and schemathesis sends an editor's access token (the
// station-uploader machine client) with every request; its auth checks also send none.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestApp, createTestDatabase, startPostgres, testAuthConfig, type PostgresServer, type TestApp, type TestDatabase } from '../../app/api/test/support';
import { startLocalOidcProvider, type LocalOidcProvider } from '../../tools/oidc/local-provider';
import { answerClientError } from '../../app/api/src/http/client-error';
import { venvTool } from './venv';

const config = path.join(__dirname, 'schemathesis.toml');

let postgres: PostgresServer;
let database: TestDatabase;
let api: TestApp;
let server: http.Server;
let baseUrl: string;
let provider: LocalOidcProvider;

beforeAll(async () => {
  [postgres, provider] = await Promise.all([startPostgres(), startLocalOidcProvider()]);
  database = await createTestDatabase(postgres.url);
  api = createTestApp(database.url, { auth: testAuthConfig({ issuer: provider.issuer }) });
  // As server.ts serves it, including the problem+json answers of Node's own parser errors.
  server = http.createServer(api.callback);
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await api?.close();
  await database?.drop();
  await postgres?.stop();
  await provider?.stop();
  (await import('esbuild')).stop();
});

it('finds no failure in the API described by its own /openapi.json', async () => {
  const schemathesis = venvTool('schemathesis');
  // Reports and its cache go to a temporary folder, not into the repository.
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schemathesis-'));
  // Lives 10 minutes, longer than the run (bounded by the 300 s timeout below).
  const token = await provider.machineToken('station-uploader');
  const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
    execFile(
      schemathesis,
      // Sanitized output: the token must not appear in a failure report.
      ['--config-file', config, 'run', `${baseUrl}/openapi.json`, '--header', `Authorization: Bearer ${token}`, '--no-color', '--report-dir', reportDir],
      { cwd: reportDir, timeout: 300_000, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, output: `${stdout}${stderr}` }),
    );
  });
  fs.rmSync(reportDir, { recursive: true, force: true });
  if (result.code !== 0) throw new Error(`schemathesis exited with ${result.code}:\n${result.output}`);
  // Exit code 0 means no failure; the summary shows that cases were actually generated and sent.
  expect(result.output).toMatch(/Test cases:\s+[1-9]\d* generated/);
  // The token was used: schemathesis's creates and imports got through (an editor's).
  const { rows } = await api.db.query<{ authors: string[] }>({ text: 'SELECT array_agg(DISTINCT created_by) AS authors FROM measurements' });
  expect(rows[0].authors).toEqual(['station-uploader']);
}, 300_000);
