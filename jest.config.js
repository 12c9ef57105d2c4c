// One jest project per part of the repository; each part owns its own jest.config.js
// (global setup such as a throwaway PostgreSQL belongs to the part that needs it).
const fs = require('node:fs');
const path = require('node:path');

const parts = ['test', 'test/cluster', 'app/api', 'app/front', 'tools'];

/** @type {import('jest').Config} */
module.exports = {
  // Jest reads testTimeout from the global config only: a project's own value is ignored when
  // several projects run together. The end-to-end tests drive real git, PostgreSQL and
  // Chromium, so allow them a minute; a hang still fails.
  testTimeout: 60_000,
  projects: parts
    .map((dir) => path.join(__dirname, dir, 'jest.config.js'))
    .filter((file) => fs.existsSync(file)),
};
