// A shimeji service answers a shimeji caller that asks for it (a facade's client, whose calls fail
// when its connection drops) through RabbitMQ's direct reply-to: straight to the caller's
// connection, never through its reply queue. Anything else (a caller whose calls wait for the
// broker, a Nameko caller, a request naming an address that is not RabbitMQ's pseudo-queue) is
// answered through `reply_to`.
import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { rpc, service } from '../../src';
import { DIRECT_REPLY_HEADER, RPC_EXCHANGE } from '../../src/constants';
import { containerFactory, eventually, rpcClientFactory, testBrokerUri } from '../../src/testing';
import type { OutgoingMessage } from '../../src/transport/transport';

describe('direct replies', () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri() });
  const clients = rpcClientFactory({ uri: testBrokerUri(), timeoutMs: 5000 });
  const connections: amqp.ChannelModel[] = [];
  afterEach(async () => {
    await Promise.allSettled(connections.splice(0).map((c) => c.close()));
  });

  /** An echo service whose replies are recorded as it publishes them. */
  async function echoService() {
    const name = `direct_${randomUUID().slice(0, 8)}`;
    @service(name)
    class Echo {
      @rpc async echo(value: unknown) {
        return value;
      }
    }
    const container = containers(Echo);
    await container.start();
    const published: OutgoingMessage[] = [];
    const publish = container.transport.publish.bind(container.transport);
    container.transport.publish = (message) => (published.push(message), publish(message));
    return { name, published };
  }

  it('answer a caller whose calls fail while disconnected straight to its connection, not through its reply queue', async () => {
    const { name, published } = await echoService();
    const client = await clients({ whileDisconnected: 'fail' });
    await expect(client.call(name, 'echo', ['hello'])).resolves.toBe('hello');
    expect(published.map((m) => [m.exchange, m.routingKey.replace(/\..*$/, '.…')])).toEqual([['', 'amq.…']]);
    expect(published[0]!.routingKey).toMatch(/^amq\.rabbitmq\.reply-to\.\S+$/);
  });

  it('answer a caller whose calls wait for the broker through its durable reply queue', async () => {
    const { name, published } = await echoService();
    const client = await clients();
    await expect(client.call(name, 'echo', ['kept'])).resolves.toBe('kept');
    expect(published.map((m) => m.exchange)).toEqual([RPC_EXCHANGE]);
  });

  it('answer through reply_to a request whose direct address is not RabbitMQ’s pseudo-queue', async () => {
    const { name, published } = await echoService();
    const connection = await amqp.connect(testBrokerUri());
    connections.push(connection);
    const channel = await connection.createChannel();
    const replyTo = randomUUID();
    const { queue } = await channel.assertQueue('', { exclusive: true });
    await channel.bindQueue(queue, RPC_EXCHANGE, replyTo);
    // A queue of the attacker's, named as the address: the reply must not be steered there.
    const { queue: elsewhere } = await channel.assertQueue('', { exclusive: true });
    const replies: string[] = [];
    await channel.consume(queue, (m) => m && replies.push(m.content.toString()), { noAck: true });

    channel.publish(RPC_EXCHANGE, `${name}.echo`, Buffer.from('{"args":["via reply_to"],"kwargs":{}}'), {
      contentType: 'application/json',
      correlationId: randomUUID(),
      replyTo,
      headers: { [DIRECT_REPLY_HEADER]: elsewhere },
    });

    await eventually('the reply in the reply queue', () => replies[0]);
    expect(JSON.parse(replies[0]!)).toEqual({ result: 'via reply_to', error: null });
    expect(await channel.checkQueue(elsewhere)).toMatchObject({ messageCount: 0 });
    expect(published.map((m) => [m.exchange, m.routingKey])).toEqual([[RPC_EXCHANGE, replyTo]]);
  });
});
