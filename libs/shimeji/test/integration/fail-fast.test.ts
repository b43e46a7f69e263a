// A caller a person waits on (a facade) asks for `whileDisconnected: 'fail'`: with the broker out
// of reach its calls fail at once with ConnectionLost, calls waiting for a reply fail when the
// connection drops, and closing it does not wait for the broker to come back.
import { randomUUID } from 'node:crypto';
import { ConnectionLost, rpc, service } from '../../src';
import { type BrokerProxy, brokerProxy, containerFactory, rpcClientFactory, testBrokerUri } from '../../src/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function slowService() {
  const name = `ff_${randomUUID().slice(0, 8)}`;
  @service(name)
  class Slow {
    @rpc async work(ms: number) {
      await sleep(ms);
      return 'done';
    }
  }
  return { name, cls: Slow };
}

/** How long `promise` took to settle, and how. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; outcome: unknown }> {
  const start = Date.now();
  const outcome = await promise.then(
    (value) => value,
    (error: unknown) => error,
  );
  return { ms: Date.now() - start, outcome };
}

describe('a caller that fails fast while the broker is out of reach', () => {
  const uri = testBrokerUri('amqp');
  const containers = containerFactory({ AMQP_URI: uri });
  const clients = rpcClientFactory({ timeoutMs: 10_000 });
  const proxies: BrokerProxy[] = [];
  afterAll(async () => {
    await Promise.allSettled(proxies.map((p) => p.down()));
  });

  /** The service on the broker, and a client reaching it through a proxy the test can take away. */
  async function throughProxy() {
    const { name, cls } = slowService();
    await containers(cls).start();
    const broker = await brokerProxy(uri);
    proxies.push(broker);
    const client = await clients({ uri: broker.uri, whileDisconnected: 'fail' });
    return { name, client, broker };
  }

  it('refuses a call at once while disconnected, and serves again once the broker is back', async () => {
    const { name, client, broker } = await throughProxy();
    await expect(client.call(name, 'work', [0])).resolves.toBe('done');
    await broker.down();
    await sleep(200); // the dropped connection is noticed
    const refused = await timed(client.call(name, 'work', [0]));
    expect(refused.outcome).toBeInstanceOf(ConnectionLost);
    expect(refused.outcome).toMatchObject({ message: 'not connected to the broker: the call was not sent' });
    expect(refused.ms).toBeLessThan(100);
    await broker.up();
    const deadline = Date.now() + 15_000;
    let answer: unknown;
    while (Date.now() < deadline && answer !== 'done') {
      answer = await client.call(name, 'work', [0]).catch((error: unknown) => error);
      if (answer !== 'done') await sleep(100);
    }
    expect(answer).toBe('done');
  }, 30_000);

  it('fails a call waiting for its reply when the connection drops, not at its timeout', async () => {
    const { name, client, broker } = await throughProxy();
    const waiting = timed(client.call(name, 'work', [3_000]));
    await sleep(300);
    await broker.down();
    const { outcome, ms } = await waiting;
    expect(outcome).toBeInstanceOf(ConnectionLost);
    expect(ms).toBeLessThan(1_500);
  }, 30_000);

  it('closes within a second while the broker is gone', async () => {
    const { client, broker } = await throughProxy();
    await broker.down();
    await sleep(200);
    const { ms, outcome } = await timed(client.close());
    expect(outcome).toBeUndefined();
    expect(ms).toBeLessThan(1_000);
  }, 30_000);
});
