module.exports = { ...require('../../jest.preset.js'), displayName: 'example-shop', rootDir: __dirname };
