// Each jest run gets a RabbitMQ vhost of its own, so no test depends on what an earlier run
// left on the broker and nothing is left behind: the vhost is deleted with everything in it.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');

const BASE_URI = process.env.TEST_AMQP_BASE_URI || 'amqp://guest:guest@127.0.0.1:5672';

function rabbitmqctl(args) {
  execFileSync('rabbitmqctl', ['-q', ...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60000 });
}

function createVhost() {
  const vhost = `test-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  try {
    rabbitmqctl(['add_vhost', vhost]);
    rabbitmqctl(['set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*']);
  } catch (error) {
    // Without rabbitmqctl (a broker on another host) tests fall back to the default vhost;
    // they still use unique names, so they remain independent.
    console.warn(`[jest] could not create a test vhost (${error.message.split('\n')[0]}); using "/"`);
    return { vhost: null, uri: `${BASE_URI}/` };
  }
  return { vhost, uri: `${BASE_URI}/${vhost}` };
}

function deleteVhost(vhost) {
  if (!vhost) return;
  try {
    rabbitmqctl(['delete_vhost', vhost]);
  } catch (error) {
    console.warn(`[jest] could not delete test vhost ${vhost}: ${error.message.split('\n')[0]}`);
  }
}

module.exports = { BASE_URI, createVhost, deleteVhost };
