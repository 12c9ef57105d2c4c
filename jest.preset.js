// Shared jest settings: TypeScript is stripped by swc (fast, no type checking: `npm run
// typecheck` does that with tsc), tests run in plain Node. jose (the API's token checks) ships
// ES modules only: swc turns them into CommonJS for jest's module runtime, in every part that
// loads the API (its own tests, the front's, the fuzzers'). A part that adds its own ESM-only
// package lists both in transformIgnorePatterns (app/front/jest.config.js).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          target: 'es2022',
          transform: { react: { runtime: 'automatic', importSource: 'preact' } },
        },
        module: { type: 'commonjs' },
      },
    ],
    '^.+/node_modules/jose/.+\\.m?js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/build/'],
};
