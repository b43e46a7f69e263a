module.exports = { ...require('../../jest.preset.js'), displayName: 'payment', rootDir: __dirname, testTimeout: 60000 };
