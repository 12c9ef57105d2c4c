// The container smoke test: both images run as the dev Deployments would run them (user,
// read-only root, capabilities, limits: runFlags), against a real PostgreSQL. Migrations run
// from the API image (two at once, then again), /readyz turns 200, CRUD works through the
// front's forms, and each container stops cleanly under load.
import { checkSecurity, describeFacts } from './container-facts';
import { crudThroughFront, FormClient } from './front-crud';
import { request, waitForStatus, type HttpResponse } from './http';
import { effectiveSecurityContext, literalEnv, mainContainer, runFlags, type Deployment, type Job } from './manifests';
import { podman, podmanResult } from './podman';
import { apiSignInEnv, frontSecretValues, frontSignInEnv } from '../../oidc/local-sign-in-env';
import { stopUnderLoad } from './stop-under-load';

export interface SmokeOptions {
  readonly apiImage: string;
  readonly frontImage: string;
  readonly api: Deployment;
  readonly front: Deployment;
  /** The migration Job: its command and securityContext run the migrations when present. */
  readonly migrate?: Job;
  readonly databaseUrl: string;
  readonly apiPort: number;
  readonly frontPort: number;
  readonly apiManagementPort: number;
  readonly frontManagementPort: number;
  /** The local OpenID provider both containers trust, and an editor's (machine) token of it. */
  readonly oidc: { readonly issuer: string; readonly editorToken: string };
  readonly log: (line: string) => void;
}

const BULK_ROWS = 20_000;

function envFlags(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).flatMap(([name, value]) => ['--env', `${name}=${value}`]);
}

async function migrate(options: SmokeOptions): Promise<void> {
  const job = options.migrate;
  const flags = runFlags(job ?? options.api);
  const command = job ? mainContainer(job).command ?? [] : ['node', 'build/migrate.js'];
  const env = envFlags({ ...literalEnv(mainContainer(job ?? options.api)), DATABASE_URL: options.databaseUrl });
  const run = () => podmanResult(['run', '--rm', ...flags, ...env, options.apiImage, ...command]);
  const concurrent = await Promise.all([run(), run()]);
  const again = await run();
  for (const [i, result] of [...concurrent, again].entries()) {
    if (result.code !== 0) throw new Error(`migration run ${i + 1} exited with ${result.code}: ${(result.stderr || result.stdout).trim()}`);
  }
}

function mountPaths(deployment: Deployment): string[] {
  return (mainContainer(deployment).volumeMounts ?? []).map((m) => m.mountPath);
}

async function logsOf(name: string): Promise<string> {
  const result = await podmanResult(['logs', '--tail', '40', name]);
  return `${result.stdout}${result.stderr}`.trim();
}

function csvRows(response: HttpResponse): string | undefined {
  const lines = response.body.split('\n').filter(Boolean);
  return lines.length === BULK_ROWS + 1 ? undefined : `export had ${lines.length - 1} rows, expected ${BULK_ROWS}`;
}

export async function smoke(options: SmokeOptions): Promise<void> {
  const { log } = options;
  const suffix = `${process.pid}`;
  const apiName = `ecodata-smoke-api-${suffix}`;
  const frontName = `ecodata-smoke-front-${suffix}`;
  const apiUrl = `http://127.0.0.1:${options.apiPort}`;
  const frontUrl = `http://127.0.0.1:${options.frontPort}`;
  const apiManagementUrl = `http://127.0.0.1:${options.apiManagementPort}`;
  const frontManagementUrl = `http://127.0.0.1:${options.frontManagementPort}`;
  const bearer = { authorization: `Bearer ${options.oidc.editorToken}` };
  const frontContainer = mainContainer(options.front);
  const apiFlags = runFlags(options.api);
  const frontFlags = runFlags(options.front);
  log(`api run flags: ${apiFlags.join(' ')}`);

  let started = Date.now();
  await migrate(options);
  log(`migrations (${options.migrate ? `the ${options.migrate.metadata.name} Job's command and securityContext` : 'node build/migrate.js'}): two concurrent runs and a third exited 0 (${Date.now() - started} ms)`);

  try {
    started = Date.now();
    await podman(['run', '--detach', '--name', apiName, ...apiFlags,
      ...envFlags({
        ...literalEnv(mainContainer(options.api)), ...apiSignInEnv(options.oidc.issuer),
        PORT: String(options.apiPort), MANAGEMENT_PORT: String(options.apiManagementPort), DATABASE_URL: options.databaseUrl,
      }),
      options.apiImage]);
    await waitForStatus(`${apiManagementUrl}/readyz`, 200, 30_000);
    log(`api: /readyz 200 after ${Date.now() - started} ms`);
    log(`api: ${describeFacts(await checkSecurity(apiName, effectiveSecurityContext(options.api), mountPaths(options.api)))}`);

    started = Date.now();
    await podman(['run', '--detach', '--name', frontName, ...frontFlags,
      ...envFlags({
        ...literalEnv(frontContainer), ...frontSignInEnv(options.oidc.issuer, frontUrl, literalEnv(frontContainer).OIDC_SCOPES ?? 'openid'), ...frontSecretValues(),
        PORT: String(options.frontPort), MANAGEMENT_PORT: String(options.frontManagementPort), API_URL: apiUrl, API_MANAGEMENT_URL: apiManagementUrl,
      }),
      options.frontImage]);
    await waitForStatus(`${frontManagementUrl}/readyz`, 200, 30_000);
    log(`front: /readyz 200 after ${Date.now() - started} ms`);
    log(`front: ${describeFacts(await checkSecurity(frontName, effectiveSecurityContext(options.front), mountPaths(options.front)))}`);

    for (const step of await crudThroughFront(frontUrl, apiUrl, options.oidc.editorToken)) log(`front CRUD: ${step}`);

    const station = `bulk-${suffix}`;
    const csv = ['station,kind,value,unit,recordedAt',
      ...Array.from({ length: BULK_ROWS }, (_, i) => `${station},pm25,${i % 97},ug/m3,${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString()}`)].join('\n');
    const imported = await request(`${apiUrl}/api/measurements/import`, { method: 'POST', headers: { ...bearer, 'content-type': 'text/csv' }, body: csv, timeoutMs: 60_000 });
    if (imported.status !== 201) throw new Error(`CSV import of ${BULK_ROWS} rows: HTTP ${imported.status}: ${imported.body.slice(0, 300)}`);

    const grace = (deployment: Deployment) => deployment.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    const preStop = (deployment: Deployment) => mainContainer(deployment).lifecycle?.preStop?.exec?.command;
    const viewer = new FormClient(frontUrl);
    await viewer.signIn('viewer');
    const front = await stopUnderLoad({
      container: frontName,
      headers: viewer.cookieHeader(),
      urls: [`${frontUrl}/measurements`, `${frontUrl}/measurements?station=${station}`, `${frontUrl}/stations`, `${frontManagementUrl}/healthz`],
      slow: { url: `${frontUrl}/measurements/export.csv?station=${station}`, check: csvRows },
      preStop: preStop(options.front),
      graceSeconds: grace(options.front),
    });
    log(`front: podman stop under load: ${front.requests} requests (${front.inFlightAtSigterm} in flight at SIGTERM, incl. ${front.slowRequests} exports of ${BULK_ROWS} rows), all 2xx; preStop ${front.preStopSeconds} s; exited ${front.exitCode} in ${front.stopSeconds} s (grace ${grace(options.front)} s)`);

    const api = await stopUnderLoad({
      container: apiName,
      headers: bearer,
      urls: [`${apiUrl}/api/measurements?limit=100`, `${apiUrl}/api/measurements?station=${station}&limit=500`, `${apiUrl}/api/stats`, `${apiManagementUrl}/healthz`],
      slow: { url: `${apiUrl}/api/measurements/export?station=${station}`, check: csvRows },
      preStop: preStop(options.api),
      graceSeconds: grace(options.api),
    });
    log(`api: podman stop under load: ${api.requests} requests (${api.inFlightAtSigterm} in flight at SIGTERM, incl. ${api.slowRequests} exports of ${BULK_ROWS} rows), all 2xx; preStop ${api.preStopSeconds} s; exited ${api.exitCode} in ${api.stopSeconds} s (grace ${grace(options.api)} s)`);
  } catch (error) {
    for (const name of [apiName, frontName]) log(`--- last log lines of ${name}:\n${await logsOf(name)}`);
    throw error;
  } finally {
    await podmanResult(['rm', '--force', '--time', '0', apiName, frontName]);
  }
}
