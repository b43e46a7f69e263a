module.exports = { ...require('../../jest.preset.js'), displayName: 'e2e-platform', rootDir: __dirname, testTimeout: 120000 };
