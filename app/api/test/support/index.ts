// Test harness for the API and for parts that test against it (app/front):
//
//   const server = await startPostgres();                 // DATABASE_URL or a throwaway cluster
//   const database = await createTestDatabase(server.url); // fresh, migrated database
//   const api = createTestApp(database.url);               // createApp + pool + Registry
//   http.createServer(api.callback).listen(0)              // or supertest(api.callback)
//   ... await api.close(); await database.drop(); await server.stop();
//
// Under jest, app/api/jest.config.js's globalSetup starts one server for the whole run and
// exports DATABASE_URL, so startPostgres() in a test file returns that server. It also starts
// the local OpenID provider: createTestApp trusts it, and machineToken() / userToken() /
// editorToken() get tokens from it (oidc.ts).
export { startPostgres, freePort, type PostgresServer } from './postgres';
export { createTestDatabase, createEmptyDatabase, databaseUrl, runMigrateCommand, type TestDatabase } from './database';
export { createTestApp, testConfig, type TestApp } from './app';
export { buildCommands, commandEnv } from './build';
export { editorToken, machineToken, startSharedProvider, testAuthConfig, testIssuer, userToken } from './oidc';
