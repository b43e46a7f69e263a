const { deleteVhost } = require('./broker-vhost');

module.exports = async function globalTeardown() {
  deleteVhost(process.env.TEST_AMQP_VHOST);
};
