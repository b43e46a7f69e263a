// The events exchange and the handler queues we declare must be Nameko's, flag for flag
// (topology.json): RabbitMQ refuses (PRECONDITION_FAILED) a declaration that differs from an
// existing one, so a Nameko service could not share them otherwise. Each queue is re-declared
// with exactly the captured flags after a passive check, and a variant must be refused.
import type * as amqp from 'amqplib';
import { type AmqpTransport, ClusterEventDispatcher, EventHandler, type ServiceContainer } from '../../src';
import { containerFactory, testBrokerUri } from '../../src/testing';
import { fixture } from './fixtures';
import { type QueueFlags, declareExistingOn, eventsExchange, namekoPeers, queueFlags, uniqueName } from './nameko-peer';
import { EVENT_TYPE, emitterService, listenerService } from './event-service';

const topology = fixture('topology.json');
const exchange = topology.exchanges.find((e: { name: string }) => e.name === 'echo.events');
const exchangeFlags = { durable: exchange.durable, autoDelete: exchange.auto_delete, internal: exchange.internal };
const capturedQueue = (test: (name: string) => boolean) => topology.queues.find((q: { name: string }) => test(q.name));
const pool = capturedQueue((name) => name === 'evt-echo-thing_happened--listener.on_pool');
const singleton = capturedQueue((name) => name === 'evt-echo-thing_happened');
const broadcast = capturedQueue((name) => name.startsWith('evt-echo-thing_happened--listener.on_broadcast-'));

/** A captured name for the uniquely named source and listener of a test. */
const renamed = (captured: string, source: string, listener: string) =>
  captured.replace(/^evt-echo-/, `evt-${source}-`).replace('--listener.', `--${listener}.`);

/** The name our broadcast handler gave its queue: it ends with an id of the instance's own. */
const broadcastQueue = (container: ServiceContainer): string =>
  container.entrypoints.find((e): e is EventHandler => e instanceof EventHandler && e.handlerType === 'broadcast')!.queue;

/**
 * The connection our container declared its queues on. An exclusive (broadcast) queue can be
 * declared only on the connection that owns it; any other gets RESOURCE_LOCKED.
 */
function ownConnection(container: ServiceContainer): amqp.ChannelModel {
  const connection = (container.transport as AmqpTransport)['connection'] as amqp.ChannelModel | undefined;
  if (!connection) throw new Error(`${container.serviceName} has no AMQP connection open`);
  return connection;
}

/** A failed declaration closes its channel: each one gets a channel of its own. */
async function onOwnChannel<T>(connection: amqp.ChannelModel, operation: (channel: amqp.Channel) => Promise<T>): Promise<T> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    return await operation(channel);
  } finally {
    await channel.close().catch(() => undefined);
  }
}

describe('The event topology our services and dispatchers declare', () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri() });
  const peers = namekoPeers();

  /** Hosts a listener with one handler of each type for `thing_happened` of a unique source. */
  async function startListener() {
    const source = uniqueName('echo');
    const listener = uniqueName('listener');
    const container = containers(listenerService(listener, source));
    await container.start();
    const peer = await peers();
    const queues = {
      pool: renamed(pool.name, source, listener),
      singleton: renamed(singleton.name, source, listener),
    };
    peer.deleteOnClose(queues.pool, queues.singleton);
    peer.deleteExchangesOnClose(eventsExchange(source));
    return { source, listener, container, peer, queues };
  }

  it('compares with a capture of durable topic exchanges, durable shared queues and an exclusive broadcast queue', () => {
    const durable = { durable: true, exclusive: false, autoDelete: false, arguments: {} };
    expect(exchange).toMatchObject({ type: 'topic', durable: true, auto_delete: false, internal: false });
    expect(queueFlags(pool)).toEqual(durable);
    expect(queueFlags(singleton)).toEqual(durable);
    expect(queueFlags(broadcast)).toEqual({ durable: false, exclusive: true, autoDelete: true, arguments: {} });
    expect(broadcast.name).toMatch(/--listener\.on_broadcast-[0-9a-f]{32}$/);
  });

  it("declares the source's events exchange, for a handler, as Nameko's durable topic exchange", async () => {
    const { source, peer } = await startListener();

    await expect(peer.declareExchange(eventsExchange(source), exchange.type, exchangeFlags)).resolves.toBeUndefined();
    await expect(peer.declareExchange(eventsExchange(source), exchange.type, { ...exchangeFlags, durable: false })).rejects.toThrow(
      /PRECONDITION_FAILED/,
    );
    await expect(peer.declareExchange(eventsExchange(source), 'direct', exchangeFlags)).rejects.toThrow(/PRECONDITION_FAILED/);
  });

  it("declares its own events exchange, for a dispatcher, as Nameko's durable topic exchange", async () => {
    const name = uniqueName('echo');
    await containers(emitterService(name)).start();
    const peer = await peers();
    peer.deleteOnClose(`rpc-${name}`);
    peer.deleteExchangesOnClose(eventsExchange(name));

    await expect(peer.declareExchange(eventsExchange(name), exchange.type, exchangeFlags)).resolves.toBeUndefined();
    await expect(peer.declareExchange(eventsExchange(name), exchange.type, { ...exchangeFlags, durable: false })).rejects.toThrow(
      /PRECONDITION_FAILED/,
    );
  });

  it("declares the source's events exchange, from the standalone dispatcher, as Nameko's durable topic exchange", async () => {
    const name = uniqueName('echo');
    const peer = await peers();
    peer.deleteExchangesOnClose(eventsExchange(name));
    const dispatcher = await ClusterEventDispatcher.connect({ uri: testBrokerUri() });
    try {
      await dispatcher.dispatch(name, EVENT_TYPE, { id: 8 });
    } finally {
      await dispatcher.close();
    }

    await expect(peer.declareExchange(eventsExchange(name), exchange.type, exchangeFlags)).resolves.toBeUndefined();
    await expect(peer.declareExchange(eventsExchange(name), 'fanout', exchangeFlags)).rejects.toThrow(/PRECONDITION_FAILED/);
  });

  it.each([
    ['service pool', 'pool', pool],
    ['singleton', 'singleton', singleton],
  ] as const)("declares the %s queue with the flags of Nameko's and consumes it once", async (_, kind, captured) => {
    const { peer, queues } = await startListener();
    const flags: QueueFlags = queueFlags(captured);

    await expect(peer.declareExisting(queues[kind], flags)).resolves.toMatchObject({ queue: queues[kind], consumerCount: 1 });
    await expect(peer.declareExisting(queues[kind], { ...flags, durable: false })).rejects.toThrow(/PRECONDITION_FAILED/);
    await expect(peer.declareExisting(queues[kind], { ...flags, autoDelete: true })).rejects.toThrow(/PRECONDITION_FAILED/);
    await expect(peer.declareExisting(queues[kind], { ...flags, arguments: { 'x-expires': 300000 } })).rejects.toThrow(
      /PRECONDITION_FAILED/,
    );
  });

  it("declares the broadcast queue, per instance, with the flags of Nameko's and consumes it once", async () => {
    const { source, listener, container, peer } = await startListener();
    const flags: QueueFlags = queueFlags(broadcast);
    const queue = broadcastQueue(container);
    // The capture's name, with a uuid4().hex of this instance's own at its end.
    const prefix = renamed(broadcast.name, source, listener).replace(/[0-9a-f]{32}$/, '');
    expect(queue).toMatch(new RegExp(`^${prefix.replace(/\./g, '\\.')}[0-9a-f]{32}$`));
    const redeclare = (changed: Partial<QueueFlags> = {}) =>
      onOwnChannel(ownConnection(container), (channel) => declareExistingOn(channel, queue, { ...flags, ...changed }));

    // Exclusive: no other connection, another instance's or Nameko's, may use it.
    await expect(peer.checkQueue(queue)).rejects.toThrow(/RESOURCE_LOCKED/);
    await expect(redeclare()).resolves.toMatchObject({ queue, consumerCount: 1 });
    // Nameko (kombu) asks for durable=True with exclusive=True: RabbitMQ keeps exclusive queues
    // non-durable, which is what the capture lists, and takes either as the same declaration.
    await expect(redeclare({ durable: true })).resolves.toMatchObject({ queue, consumerCount: 1 });
    await expect(redeclare({ autoDelete: false })).rejects.toThrow(/PRECONDITION_FAILED/);
    await expect(redeclare({ arguments: { 'x-expires': 300000 } })).rejects.toThrow(/PRECONDITION_FAILED/);
  });

  it('leaves no broadcast queue behind when the instance stops, as Nameko’s goes with its consumer', async () => {
    const { container, peer } = await startListener();
    const queue = broadcastQueue(container);

    await container.stop();

    await expect(peer.checkQueue(queue)).rejects.toThrow(/NOT_FOUND/);
  });
});
