// Shared jest settings: every project's jest.config.js spreads this.
const path = require('node:path');

module.exports = {
  testEnvironment: 'node',
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
