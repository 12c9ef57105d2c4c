// The cluster part: dist/ applied to a real Kubernetes control plane (tools/cluster), one per
// test run, started by the global setup. Its test files share that cluster and change it
// (drain a node, upgrade, revert), so they run one after another: the serial runner.
/** @type {import('jest').Config} */
module.exports = {
  ...require('../../jest.preset.js'),
  displayName: 'cluster',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.test.ts'],
  globalSetup: '<rootDir>/support/global-setup.ts',
  globalTeardown: '<rootDir>/support/global-teardown.ts',
  runner: '<rootDir>/support/serial-runner.js',
};
