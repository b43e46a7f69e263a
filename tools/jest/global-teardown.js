const { deleteVhost } = require('./broker-vhost');
const { dropDatabases } = require('./test-databases');

module.exports = async function globalTeardown() {
  deleteVhost(process.env.TEST_AMQP_VHOST);
  await dropDatabases(process.env.TEST_DB_PREFIX);
};
