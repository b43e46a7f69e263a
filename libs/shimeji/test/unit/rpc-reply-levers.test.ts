// How a reply goes out (ReplyLevers in src/rpc.ts): whatever the levers, a request is acked only
// after its reply was handed to the transport, and the reply carries the delivery mode and
// confirm mode the levers ask for. On the in-memory broker, with the transport's calls recorded.
import { createTransport, rpc, type RpcConsumer, service, type Transport } from '../../src';
import { RPC_EXCHANGE } from '../../src/constants';
import { DEFAULT_REPLY_LEVERS, type ReplyLevers } from '../../src/rpc';
import { containerFactory, eventually, rpcClientFactory, testBrokerUri } from '../../src/testing';
import type { OutgoingMessage } from '../../src/transport/transport';

@service('lever_echo')
class LeverEcho {
  @rpc
  async echo(value: unknown): Promise<unknown> {
    return value;
  }
}

/** A transport that logs each reply publish (when asked, when done) and each request ack, in order. */
function recordingTransport(uri: string) {
  const transport = createTransport(uri, { heartbeatSeconds: 5 });
  const events: string[] = [];
  const replies: OutgoingMessage[] = [];
  const publish = transport.publish.bind(transport);
  transport.publish = async (message) => {
    if (message.exchange !== RPC_EXCHANGE || message.properties.replyTo !== undefined) return publish(message);
    replies.push(message);
    events.push('reply publish called');
    await publish(message);
    // A confirmed publish resolves some time after it was called: make that time visible.
    await new Promise((resolve) => setImmediate(resolve));
    events.push('reply publish resolved');
  };
  const consume = transport.consume.bind(transport);
  transport.consume = (queue, onDelivery, options) =>
    consume(
      queue,
      (delivery) => {
        const ack = delivery.ack.bind(delivery);
        onDelivery(Object.assign(Object.create(delivery) as typeof delivery, { ack: () => (events.push('request acked'), ack()) }));
      },
      options,
    );
  return { transport: transport as Transport, events, replies };
}

describe('RPC replies', () => {
  const containers = containerFactory();
  const clients = rpcClientFactory();

  async function callWith(levers: Readonly<ReplyLevers>) {
    const uri = testBrokerUri('memory');
    const recorded = recordingTransport(uri);
    const container = containers(LeverEcho, { AMQP_URI: uri }, { transport: recorded.transport });
    await container.start();
    container.shared<RpcConsumer>('rpc-consumer', () => {
      throw new Error('no RpcConsumer');
    }).replyLevers = levers;
    const client = await clients({ uri });
    const result = await client.service<{ echo(v: unknown): Promise<unknown> }>('lever_echo').echo({ n: 1 });
    return { result, ...recorded };
  }

  it.each([
    ['persistent, confirmed', { transient: false, waitForConfirm: true, literalProperties: false }],
    ['transient, confirmed', { transient: true, waitForConfirm: true, literalProperties: false }],
    ['persistent, unconfirmed', { transient: false, waitForConfirm: false, literalProperties: false }],
    ['transient, unconfirmed, literal properties', { transient: true, waitForConfirm: false, literalProperties: true }],
  ])('%s: acks the request only after the reply publish has resolved', async (_name, levers) => {
    const { result, events } = await callWith(levers);

    expect(result).toEqual({ n: 1 });
    // The caller may have its reply before the service's publish call has returned.
    await eventually('the request ack', () => (events.includes('request acked') ? true : undefined));
    expect(events).toEqual(['reply publish called', 'reply publish resolved', 'request acked']);
  });

  it.each([
    [{ transient: false, waitForConfirm: true, literalProperties: false }, 2],
    [{ transient: true, waitForConfirm: false, literalProperties: false }, 1],
    [{ transient: true, waitForConfirm: false, literalProperties: true }, 1],
  ])('sends the reply with the delivery mode and confirm mode of %o', async (levers, deliveryMode) => {
    const { replies } = await callWith(levers);

    expect(replies).toHaveLength(1);
    expect(replies[0]!.properties).toEqual({
      contentType: 'application/json',
      contentEncoding: 'utf-8',
      deliveryMode,
      priority: 0,
      correlationId: expect.any(String),
      headers: {},
    });
    expect(replies[0]!.unconfirmed).toBe(!levers.waitForConfirm);
  });

  it('sends replies transient and confirmed by default, the levers bench/rpc/reply-levers.ts justified', async () => {
    const { replies, events } = await callWith(DEFAULT_REPLY_LEVERS);

    expect(replies[0]!.properties.deliveryMode).toBe(1);
    expect(replies[0]!.unconfirmed).toBe(false);
    await eventually('the request ack', () => (events.includes('request acked') ? true : undefined));
    expect(events).toEqual(['reply publish called', 'reply publish resolved', 'request acked']);
  });
});
