// One test file at a time: several files start services on the run's one RabbitMQ vhost (the
// platform, the compose commands), and two sets running together would answer each other's calls.
module.exports = { ...require('../../jest.preset.js'), displayName: 'platform', rootDir: __dirname, testTimeout: 120000, maxWorkers: 1 };
