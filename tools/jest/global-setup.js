const { createVhost } = require('./broker-vhost');
const { BASE_URL, newPrefix } = require('./test-databases');

module.exports = async function globalSetup() {
  process.env.TEST_POSTGRES_URL = BASE_URL;
  process.env.TEST_DB_PREFIX = newPrefix();
  if (process.env.TEST_AMQP_URI) return;
  const { vhost, uri } = createVhost();
  process.env.TEST_AMQP_URI = uri;
  process.env.TEST_AMQP_VHOST = vhost ?? '';
};
