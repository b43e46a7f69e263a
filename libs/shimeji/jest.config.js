module.exports = { ...require('../../jest.preset.js'), displayName: 'shimeji', rootDir: __dirname };
