// The front's tests: rendering and HTTP tests next to the code (src/**), end-to-end tests in
// headless Chromium against the real front + API + PostgreSQL (test/e2e/**).
const preset = require('../../jest.preset.js');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'front',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}', '<rootDir>/test/**/*.test.{ts,tsx}'],
  // preact 11 ships ES modules only; jest's module runtime needs them turned into CommonJS.
  transform: {
    ...preset.transform,
    '^.+/node_modules/preact/.+\\.m?js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  // jose: the API's, which the front's tests run (jest.preset.js).
  transformIgnorePatterns: ['/node_modules/(?!preact/|jose/)'],
};
