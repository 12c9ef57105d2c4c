// The front's tests: rendering and HTTP tests next to the code (src/**), end-to-end tests in
// headless Chromium against the real front + API + PostgreSQL (test/e2e/**).
const preset = require('../../jest.preset.js');

const ESM_ONLY = '(preact|openid-client|oauth4webapi|jose)';

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'front',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.test.{ts,tsx}', '<rootDir>/test/**/*.test.{ts,tsx}'],
  // preact 11, openid-client 6 and its jose / oauth4webapi ship ES modules only; jest's module
  // runtime needs them turned into CommonJS (esbuild does the same for the bundle).
  transform: {
    ...preset.transform,
    [`^.+/node_modules/${ESM_ONLY}/.+\\.m?js$`]: ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!${ESM_ONLY}/)`],
};
