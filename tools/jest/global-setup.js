const { BASE_URI, createVhost } = require('./broker-vhost');
const { unreachable } = require('./reachable');
const { BASE_URL, newPrefix } = require('./test-databases');

module.exports = async function globalSetup() {
  process.env.TEST_POSTGRES_URL = BASE_URL;
  process.env.TEST_DB_PREFIX = newPrefix();
  // Said by the test helpers to the tests that need them, not here: a suite without them runs.
  process.env.TEST_POSTGRES_UNREACHABLE = await unreachable('PostgreSQL', BASE_URL, 5432, 'TEST_POSTGRES_URL');
  process.env.TEST_AMQP_UNREACHABLE = await unreachable('RabbitMQ', process.env.TEST_AMQP_URI || BASE_URI, 5672, 'TEST_AMQP_URI (or TEST_AMQP_BASE_URI)');
  // A jest run inside a test inherits its vhost: only the run that created one deletes it.
  process.env.TEST_AMQP_VHOST = '';
  if (process.env.TEST_AMQP_URI || process.env.TEST_AMQP_UNREACHABLE) return;
  const { vhost, uri } = createVhost();
  process.env.TEST_AMQP_URI = uri;
  process.env.TEST_AMQP_VHOST = vhost ?? '';
};
