// Tests of the repository tooling (tools/**: the gitops CLI, the synth runner, ...). Generic on
// purpose: each tool keeps its tests beside its code under tools/<tool>/.
const preset = require('../jest.preset.js');

/** @type {import('jest').Config} */
module.exports = {
  ...preset,
  displayName: 'tools',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.test.ts'],
};
