// Two jest projects over one toolchain (create-plugin's @swc/jest config in .config/):
// - plugin: browser code (src/app, src/datasource) in jsdom, exactly as the scaffold configures it;
// - node: the companion API, contract, catalog logic, CLI and the integration suites under tests/.
// TZ is forced to UTC so that time formatting is the same on every machine.
process.env.TZ = 'UTC';

const path = require('path');
const grafana = require('./.config/jest.config');

const swcTransform = grafana.transform['^.+\\.(t|j)sx?$'];

module.exports = {
  // Store-backed suites open PGlite (~1.3 s idle, several seconds on a loaded 2-core machine) and
  // start real servers in hooks; jest's 5 s default turned machine load into false failures.
  // testTimeout is a global option: set inside a project it is silently ignored (measured: a
  // clean-clone CI run still failed a store test at 5,000 ms), so it is set here, for both projects.
  testTimeout: 30_000,
  // Known-long node suites first on a clean clone (no timing cache): see the file.
  testSequencer: path.join(__dirname, 'tests/support/sequencer.js'),
  projects: [
    {
      ...grafana,
      displayName: 'plugin',
      rootDir: __dirname,
      testMatch: ['<rootDir>/src/{app,datasource}/**/*.test.{ts,tsx}'],
      resetMocks: true,
    },
    {
      displayName: 'node',
      rootDir: __dirname,
      testEnvironment: 'node',
      testMatch: [
        '<rootDir>/src/{api,contract,catalog,cli}/**/*.test.ts',
        // Playwright specs under tests/browser and tests/e2e are *.spec.ts and never run in jest.
        '<rootDir>/tests/**/*.test.ts',
      ],
      // The soak (tests/soak) runs for minutes as its own step of `npm test` (scripts/test.mjs), which
      // sets OPSDECK_SOAK=1; a plain jest run leaves it out. The fuzz files run as their own step too,
      // beside the browser suite: the node-suites step sets OPSDECK_SKIP_FUZZ=1.
      testPathIgnorePatterns: [
        '/node_modules/',
        ...(process.env.OPSDECK_SOAK ? [] : ['<rootDir>/tests/soak/']),
        ...(process.env.OPSDECK_SKIP_FUZZ ? ['<rootDir>/tests/hostile/fuzz-'] : []),
      ],
      transform: {
        '^.+\\.(t|j)sx?$': swcTransform,
        '\\.sql$': path.join(__dirname, 'tests/support/jest-sql-transform.js'),
      },
      moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'cjs', 'json', 'sql'],
      globalSetup: '<rootDir>/tests/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
      resetMocks: true,
    },
  ],
};
