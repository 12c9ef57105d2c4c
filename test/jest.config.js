// The manifests part: policy tests, config validation, the synth runner and construct unit
// tests. test/cluster/ is a part of its own (a real control plane; see its jest.config.js).
/** @type {import('jest').Config} */
module.exports = {
  ...require('../jest.preset.js'),
  displayName: 'manifests',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: [...require('../jest.preset.js').testPathIgnorePatterns, '<rootDir>/cluster/'],
};
