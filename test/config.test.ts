// A broken environment config or images file fails the synth with an error naming the
// environment, the file and the field, and changes nothing on disk.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environments } from '../environments';
import { EnvironmentConfigError, loadImages, parseEnvironment, parseImages } from '../environments/load';
import { apiConnectionDemand, imageTag, type EnvironmentInput } from '../environments/schema';
import { synthCli } from '../tools/synth/run';
import { repoRoot } from './support/dist';

const DIGEST = 'a'.repeat(64);
const goodImages = { api: `ghcr.io/o/ecodata-api:1.2.3@sha256:${DIGEST}`, front: `ghcr.io/o/ecodata-front:1.2.3@sha256:${DIGEST}` };
const withApi = (api: Partial<EnvironmentInput['api']>): EnvironmentInput => ({ ...environments.dev, api: { ...environments.dev.api, ...api } as EnvironmentInput['api'] });

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

test.each(Object.keys(environments))('the committed %s config and images file are valid', (name) => {
  expect(parseEnvironment(name, environments[name]).namespace).toBe(`ecodata-${name}`);
  expect(Object.keys(loadImages(name, path.join(repoRoot, 'environments')))).toEqual(['api', 'front']);
});

test('limits below requests are reported with the environment and the field path', () => {
  const message = messageOf(() =>
    parseEnvironment('dev', withApi({ resources: { requests: { cpuMillis: 500, memoryMiB: 128 }, limits: { cpuMillis: 100, memoryMiB: 256 } } })),
  );
  expect(message).toContain('environment "dev" in environments/dev.ts');
  expect(message).toContain('api.resources.limits.cpuMillis: limits.cpuMillis must be >= requests.cpuMillis');
});

test('an autoscaling minimum above the maximum is reported', () => {
  const message = messageOf(() => parseEnvironment('dev', withApi({ replicas: undefined, autoscaling: { minReplicas: 5, maxReplicas: 2 } })));
  expect(message).toContain('api.autoscaling.minReplicas: minReplicas must be <= maxReplicas');
});

test('setting both replicas and autoscaling is reported', () => {
  const message = messageOf(() => parseEnvironment('dev', withApi({ replicas: 2, autoscaling: { minReplicas: 2, maxReplicas: 3 } })));
  expect(message).toContain('api.replicas: set exactly one of replicas or autoscaling');
});

test('an API that could open more connections than PostgreSQL allows is reported', () => {
  // (HPA max 10 + 1 surge pod) x poolMax 10 + 10 reserved = 120 > the default 100.
  const message = messageOf(() =>
    parseEnvironment('dev', withApi({ replicas: undefined, poolMax: 10, autoscaling: { minReplicas: 2, maxReplicas: 10 } })),
  );
  expect(message).toContain('database.maxConnections: is 100, but the API may open 120 connections');
});

test('every committed environment fits its API connection budget', () => {
  for (const name of Object.keys(environments)) {
    const env = parseEnvironment(name, environments[name]);
    expect(apiConnectionDemand(env)).toBeLessThanOrEqual(env.database.maxConnections);
  }
});

test('an unknown field in an environment config is reported', () => {
  const message = messageOf(() => parseEnvironment('test', { ...environments.test, replicaCount: 3 } as EnvironmentInput));
  expect(message).toContain('environment "test"');
  expect(message).toContain('replicaCount');
});

test('a host name that is not a DNS name is reported', () => {
  const message = messageOf(() => parseEnvironment('prod', { ...environments.prod, host: 'https://ecodata.example.com/' }));
  expect(message).toContain('environment "prod"');
  expect(message).toContain('host: must be a lower-case DNS host name');
});

test('a config whose name differs from its environment is reported', () => {
  expect(messageOf(() => parseEnvironment('test', environments.dev))).toContain('name: must be "test"');
});

test('an image reference without a digest is rejected', () => {
  const message = messageOf(() => parseImages('prod', { ...goodImages, api: 'ghcr.io/o/ecodata-api:1.2.3' }));
  expect(message).toContain('environments/prod.images.json');
  expect(message).toContain('api: must be an immutable reference registry/name:tag@sha256:<64 hex digits>');
});

test('an image reference with the tag latest is rejected even with a digest', () => {
  const message = messageOf(() => parseImages('dev', { ...goodImages, front: `ghcr.io/o/ecodata-front:latest@sha256:${DIGEST}` }));
  expect(message).toContain('front: must not use the tag "latest"');
});

test('an images file with a missing or unknown key is rejected', () => {
  const message = messageOf(() => parseImages('dev', { api: goodImages.api, worker: goodImages.api }));
  expect(message).toContain('front:');
  expect(message).toContain('worker');
});

test('the image tag becomes the version', () => {
  expect(imageTag(goodImages.api)).toBe('1.2.3');
  expect(imageTag(`localhost:5000/team/api:v2-rc.1@sha256:${DIGEST}`)).toBe('v2-rc.1');
});

describe('the synth CLI with a broken images file', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-config-'));
    fs.writeFileSync(path.join(root, 'cdk8s.yaml'), 'app: node main.js\n');
    fs.mkdirSync(path.join(root, 'environments'));
    for (const name of Object.keys(environments)) {
      fs.writeFileSync(path.join(root, 'environments', `${name}.images.json`), JSON.stringify(goodImages));
    }
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('exits 1 with the documented message and writes nothing', () => {
    fs.writeFileSync(path.join(root, 'environments', 'test.images.json'), '{ "api": ');
    const err: string[] = [];
    const code = synthCli(['--outdir', path.join(root, 'dist')], { out: () => undefined, err: (t) => err.push(t) }, { rootDir: root });
    expect(code).toBe(1);
    expect(err.join('')).toContain('invalid configuration for environment "test" in environments/test.images.json');
    expect(err.join('')).toContain('not valid JSON');
    expect(fs.existsSync(path.join(root, 'dist'))).toBe(false);
  });
});

const withDatabase = (database: Partial<EnvironmentInput['database']>): EnvironmentInput => ({ ...environments.prod, database: { ...environments.prod.database, ...database } });
const withBackup = (backup: Partial<EnvironmentInput['database']['backup']>) => withDatabase({ backup: { ...environments.prod.database.backup, ...backup } });

test('every environment archives WAL with an archive_timeout and takes scheduled base backups', () => {
  for (const name of Object.keys(environments)) {
    const { backup } = parseEnvironment(name, environments[name]).database;
    expect(backup.destinationPath).toBe(`s3://ecodata-backups/${name}`);
    expect(backup.archiveTimeout).toMatch(/^\d+(s|min)$/);
    expect(backup.schedule.split(' ')).toHaveLength(6);
  }
});

test.each([
  [withBackup({ schedule: '0 2 * * *' }), 'database.backup.schedule: must be a six-field cron expression with seconds first'],
  [withBackup({ destinationPath: 'ftp://bucket/prod' }), 'database.backup.destinationPath: must be s3://bucket/prefix'],
  [withBackup({ archiveTimeout: '5m' }), 'database.backup.archiveTimeout: must be a PostgreSQL duration such as 60s, 5min or 1h'],
  [withBackup({ retentionPolicy: '30' }), 'database.backup.retentionPolicy: must be a number of days, weeks or months'],
  [withDatabase({ restore: { name: 'database-r1', fromServer: 'database-r1' } }), 'database.restore.name: name must differ from fromServer'],
  [withDatabase({ restore: { name: 'database', fromServer: 'old' } }), 'database.restore.name: name must differ from "database"'],
  [withDatabase({ restore: { name: 'database-r1', fromServer: 'database', targetTime: 'yesterday' } }), 'database.restore.targetTime'],
])('a bad backup or restore setting is reported with its field (%#)', (input, expected) => {
  const message = messageOf(() => parseEnvironment('prod', input));
  expect(message).toContain('environment "prod" in environments/prod.ts');
  expect(message).toContain(expected);
});

describe('sign-in settings', () => {
  const withAuth = (auth: Record<string, unknown>): EnvironmentInput => ({ ...environments.prod, auth: { ...environments.prod.auth, ...auth } as EnvironmentInput['auth'] });

  test('every environment signs people in and refuses anonymous reading by default', () => {
    for (const name of Object.keys(environments)) {
      const { auth } = parseEnvironment(name, environments[name]);
      expect(auth.issuer).toMatch(/^https:\/\//);
      expect(auth.anonymousRead).toBe(false);
      expect(Object.values(auth.roleMapping)).toContain('editor');
    }
  });

  test('a missing auth section is reported', () => {
    const { auth: _auth, ...withoutAuth } = environments.prod;
    expect(messageOf(() => parseEnvironment('prod', withoutAuth as EnvironmentInput))).toMatch(/auth: .*expected object/i);
  });

  test.each([
    [{ issuer: 'http://sso.example.com' }, 'auth.issuer: must be an https:// issuer URL'],
    [{ roleMapping: { 'ecodata-viewers': 'viewer' } }, 'auth.roleMapping: must map at least one claim value to "editor"'],
    [{ roleMapping: { 'ecodata-admins': 'admin' } }, 'auth.roleMapping.ecodata-admins'],
    [{ scopes: ['profile'] }, 'auth.scopes: must include "openid"'],
    [{ frontSecret: { name: 'Front_OIDC' } }, 'auth.frontSecret.name: must be a DNS-1123 label'],
  ])('%j is reported with the field', (auth, expected) => {
    const message = messageOf(() => parseEnvironment('prod', withAuth(auth)));
    expect(message).toContain('environment "prod"');
    expect(message).toContain(expected);
  });
});
