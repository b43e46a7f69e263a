module.exports = { ...require('../../jest.preset.js'), displayName: 'saga', rootDir: __dirname };
