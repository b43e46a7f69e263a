module.exports = { ...require('../../jest.preset.js'), displayName: 'project', rootDir: __dirname, testTimeout: 60000 };
