module.exports = { ...require('../../jest.preset.js'), displayName: 'stripe-emulator', rootDir: __dirname };
