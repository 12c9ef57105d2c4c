// The manifests part: schema validation of dist/, policy tests, config validation, the
// synth runner and construct unit tests.
/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'manifests',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.test.ts'],
};
