// The runtime under broker faults, on the real RabbitMQ: nothing lost, nothing run twice.
import { randomUUID } from 'node:crypto';
import { AmqpTransport, ClusterEventDispatcher, createLogger, eventHandler, rpc, service, type ServiceClass } from '../../src';
import { containerFactory, rpcClientFactory, testBrokerUri } from '../../src/testing';
import { brokerConnections, closeBrokerConnections, freePort, startProxy } from './broker-faults';

const executions = new Map<string, number>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const waitFor = async (check: () => boolean, timeoutMs = 20_000): Promise<void> => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await sleep(20);
  }
};

/** A service with a name of its own, so its broker connection can be told from every other. */
function workerService(): { name: string; cls: ServiceClass } {
  const name = `rel_${randomUUID().slice(0, 8)}`;
  @service(name)
  class Worker {
    @rpc async work(id: string, ms: number) {
      executions.set(id, (executions.get(id) ?? 0) + 1);
      await sleep(ms);
      return id;
    }

    @eventHandler('rel_source', 'happened')
    async onHappened(payload: { id: string }) {
      executions.set(payload.id, (executions.get(payload.id) ?? 0) + 1);
    }
  }
  return { name, cls: Worker };
}

describe('reliability on the real broker', () => {
  const uri = testBrokerUri();
  const containers = containerFactory({ AMQP_URI: uri });
  const clients = rpcClientFactory({ uri, timeoutMs: 30_000 });

  it('waits for a broker that is down at start, then serves', async () => {
    const port = await freePort();
    const viaProxy = uri.replace(/:\d+\//, `:${port}/`);
    const { name, cls } = workerService();
    const container = containers(cls, { AMQP_URI: viaProxy });
    let started = false;
    const starting = container.start().then(() => (started = true));
    await sleep(800);
    expect(started).toBe(false);
    const proxy = await startProxy(port);
    try {
      await starting;
      const client = await clients();
      await expect(client.call(name, 'work', ['after-wait', 0])).resolves.toBe('after-wait');
    } finally {
      await container.stop();
      await proxy.close();
    }
  }, 30_000);

  it('negotiates a heartbeat of a few seconds, so a dead peer is noticed quickly', async () => {
    const { name, cls } = workerService();
    await containers(cls).start();
    expect(brokerConnections(name).map((c) => c.heartbeat)).toEqual([5]);
  });

  it('reconnects when the broker drops the service’s connection, restores its consumers, and answers every call once', async () => {
    const { name, cls } = workerService();
    await containers(cls, { maxWorkers: 5 }).start();
    const client = await clients();
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const calls = ids.map((id) => client.call(name, 'work', [id, 100]));
    await waitFor(() => ids.filter((id) => executions.has(id)).length >= 10);
    expect(closeBrokerConnections(name)).toBe(1);
    await expect(Promise.all(calls)).resolves.toEqual(ids);
    expect(ids.filter((id) => executions.get(id) !== 1)).toEqual([]);
    await expect(client.call(name, 'work', ['after', 0])).resolves.toBe('after');
  }, 60_000);

  it('says it is not connected while it restores a dropped connection, and connected once restored', async () => {
    const marker = `transport-${randomUUID()}`;
    const logger = createLogger('silent');
    const transport = new AmqpTransport(uri, { heartbeatSeconds: 5, connectionName: marker, retryDelayMs: 300, logger });
    try {
      await transport.connect();
      expect(transport.connected).toBe(true);
      const lost = new Promise<void>((resolve) => transport.onConnectionLost(() => resolve()));
      expect(closeBrokerConnections(marker)).toBe(1);
      await lost;
      expect(transport.connected).toBe(false);
      await waitFor(() => transport.connected);
    } finally {
      await transport.close();
    }
  }, 30_000);

  it('delivers the replies of calls in flight when the caller’s own connection drops', async () => {
    const { name, cls } = workerService();
    await containers(cls).start();
    const marker = `caller-${randomUUID()}`;
    const client = await clients({ connectionName: marker });
    const ids = Array.from({ length: 10 }, () => randomUUID());
    const calls = ids.map((id) => client.call(name, 'work', [id, 500]));
    await waitFor(() => ids.every((id) => executions.has(id)));
    expect(closeBrokerConnections(marker)).toBe(1);
    await expect(Promise.all(calls)).resolves.toEqual(ids);
  }, 60_000);

  it('keeps events dispatched while a handler was disconnected, and handles each once', async () => {
    const { name, cls } = workerService();
    await containers(cls).start();
    const dispatcher = await ClusterEventDispatcher.connect({ uri });
    try {
      expect(closeBrokerConnections(name)).toBe(1);
      const ids = Array.from({ length: 20 }, () => randomUUID());
      for (const id of ids) await dispatcher.dispatch('rel_source', 'happened', { id });
      await waitFor(() => ids.every((id) => executions.has(id)));
      await sleep(300);
      expect(ids.filter((id) => executions.get(id) !== 1)).toEqual([]);
    } finally {
      await dispatcher.close();
    }
  }, 60_000);

  it('kills at once, leaving work in flight to another instance', async () => {
    const { name, cls } = workerService();
    const first = containers(cls);
    await first.start();
    const client = await clients();
    const id = randomUUID();
    const call = client.call(name, 'work', [id, 2_000]);
    await waitFor(() => executions.has(id));
    const began = Date.now();
    await first.kill();
    expect(Date.now() - began).toBeLessThan(1_000);
    await containers(cls).start();
    await expect(call).resolves.toBe(id);
  }, 30_000);
});
