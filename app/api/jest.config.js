const preset = require('../../jest.preset.js');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'api',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
  // jose 6 ships ES modules only; jest's module runtime needs them turned into CommonJS (the
  // esbuild bundle and Node itself load them as they are).
  transform: {
    ...preset.transform,
    '^.+/node_modules/jose/.+\\.m?js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // One PostgreSQL server and one local OpenID provider for the run (test/support/oidc.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeout.ts'],
};
