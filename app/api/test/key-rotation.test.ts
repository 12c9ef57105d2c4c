// Signing-key rotation at the REAL local provider. This file starts its own provider: rotating
// restarts it with a new key, which would pull the rug from under the other files sharing the
// run's provider.
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../src/app';
import { createDb, dbOptionsFromConfig, type Db } from '../src/db';
import { createMetrics } from '../src/metrics';
import { startLocalOidcProvider, type LocalOidcProvider } from '../../../tools/oidc/local-provider';
import { testConfig } from './support/app';
import { createTestDatabase, type TestDatabase } from './support/database';
import { testAuthConfig } from './support/oidc';
import { startPostgres, type PostgresServer } from './support/postgres';

let provider: LocalOidcProvider;
let server: PostgresServer;
let database: TestDatabase;
let db: Db;
let callback: ReturnType<ReturnType<typeof createApp>['callback']>;

beforeAll(async () => {
  [provider, server] = await Promise.all([startLocalOidcProvider(), startPostgres()]);
  database = await createTestDatabase(server.url);
  // No cooldown between key-set downloads, so the test does not wait out the 30 s default.
  const config = testConfig(database.url, { auth: testAuthConfig({ issuer: provider.issuer, jwksCooldownMs: 0 }) });
  const logger = pino({ level: 'silent' });
  db = createDb(dbOptionsFromConfig(config, logger));
  callback = createApp({ config, db, metrics: createMetrics(undefined, { defaultMetrics: false }), logger }).callback();
});

afterAll(async () => {
  await provider?.stop();
  await db?.close();
  await database?.drop();
  await server?.stop();
});

const kid = (token: string) => (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { kid: string }).kid;
const read = (token: string) => request(callback).get('/api/stats').set('Authorization', `Bearer ${token}`);

describe('key rotation', () => {
  it('picks up a new signing key, keeps a previous one while it is published, and refuses it once it is not', async () => {
    const first = await provider.machineToken('readonly-reporter');
    await read(first).expect(200);

    await provider.rotateKeys({ keepPrevious: true });
    const second = await provider.machineToken('readonly-reporter');
    expect(kid(second)).not.toBe(kid(first));
    // An unknown kid makes the API download the key set again.
    await read(second).expect(200);
    await read(first).expect(200);

    await provider.rotateKeys({ keepPrevious: false });
    const third = await provider.machineToken('readonly-reporter');
    await read(third).expect(200);
    // The download for the third key dropped the first two, and the cached verifications with them.
    for (const old of [first, second]) {
      const response = await read(old).expect(401);
      expect(response.headers['www-authenticate']).toContain('error_description="the token\'s signing key is not published by the issuer"');
    }
    await read(third).expect(200);
  });
});
