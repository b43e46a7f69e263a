// Shared jest settings: every project's jest.config.js spreads this.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
  // Jest soft-deletes what a test file left on globalThis before the next file in the same worker;
  // @sentry/node keeps its carrier there (globalThis.__SENTRY__['<version>']), and a later file
  // that touched it overflowed the stack in jest's setter proxy. Each file gets a fresh module
  // registry anyway; the globals a library keeps are left as they are.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: path.join(__dirname, 'tools/jest/global-setup.js'),
  globalTeardown: path.join(__dirname, 'tools/jest/global-teardown.js'),
  reporters: ['default', path.join(__dirname, 'tools/jest/summary-reporter.js')],
  testTimeout: 20000,
};
