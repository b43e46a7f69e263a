const { createVhost } = require('./broker-vhost');

module.exports = async function globalSetup() {
  if (process.env.TEST_AMQP_URI) return;
  const { vhost, uri } = createVhost();
  process.env.TEST_AMQP_URI = uri;
  process.env.TEST_AMQP_VHOST = vhost ?? '';
};
