// One file at a time: every file starts the platform's services on the run's one vhost, and two
// sets of them would take each other's messages.
module.exports = { ...require('../../jest.preset.js'), displayName: 'e2e-platform', rootDir: __dirname, testTimeout: 120000, maxWorkers: 1 };
