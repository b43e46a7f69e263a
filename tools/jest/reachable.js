// Whether the broker and the database answer on their TCP ports: checked once per run, so a test
// that needs one that is down fails at once naming the URL and the variable to set, instead of
// waiting out a hook's timeout with "Exceeded timeout" (see testBrokerUri, testDatabaseUrl).
const net = require('node:net');

function reachable(url, defaultPort, timeoutMs = 2000) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port || defaultPort), hostname || '127.0.0.1');
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The problem to report for `url`, or '' when it answers. */
async function unreachable(what, url, defaultPort, variable) {
  return (await reachable(url, defaultPort))
    ? ''
    : `${what} at ${url.replace(/\/\/[^@/]*@/, '//')} does not answer: start it, or set ${variable} to one that does`;
}

module.exports = { unreachable };
