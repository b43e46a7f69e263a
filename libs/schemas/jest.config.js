module.exports = { ...require('../../jest.preset.js'), displayName: 'schemas', rootDir: __dirname };
