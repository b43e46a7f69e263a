// A RabbitMQ node of the test's own can be stopped and started again for real, the shared
// broker untouched; a service on it reconnects and serves again, its queue as it was.
import { randomUUID } from 'node:crypto';
import { rpc, service } from '../../src';
import { containerFactory, type PrivateBroker, privateBrokerUnavailable, rpcClientFactory, startPrivateBroker } from '../../src/testing';

const why = privateBrokerUnavailable();
if (why) console.warn(`[private broker] tests not run: ${why}`);
const describeWithBroker = why ? describe.skip : describe;

describeWithBroker('a broker of the test’s own', () => {
  let broker: PrivateBroker;
  const containers = containerFactory();
  const clients = rpcClientFactory({ timeoutMs: 20_000 });

  beforeAll(async () => {
    broker = await startPrivateBroker();
  }, 90_000);
  afterAll(async () => {
    await broker?.stop();
  }, 60_000);

  it('restarts under a service, which reconnects and answers the calls made meanwhile', async () => {
    const name = `pb_${randomUUID().slice(0, 8)}`;
    @service(name)
    class Echo {
      @rpc async echo(value: string) {
        return value;
      }
    }
    await containers(Echo, { AMQP_URI: broker.uri }).start();
    const client = await clients({ uri: broker.uri });
    await expect(client.call(name, 'echo', ['before'])).resolves.toBe('before');
    await broker.down();
    const during = client.call(name, 'echo', ['during']);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await broker.up();
    await expect(during).resolves.toBe('during');
    await expect(client.call(name, 'echo', ['after'])).resolves.toBe('after');
  }, 90_000);
});
