// A three-node RabbitMQ cluster of the test's own, the shared broker untouched. A service and a
// client given every node's URI (AMQP_URI may list several) connect to the first; when that node
// goes down they move to another. With quorum queues (AMQP_QUEUE_TYPE=quorum) the service's queue
// lives on the other nodes too, so it serves again within seconds; a classic queue lives on one
// node only, and is served again once that node is back. Each case prints how long it was out.
import { randomUUID } from 'node:crypto';
import { AmqpTransport, rpc, service, type ServiceContainer } from '../../src';
import { clusterUnavailable, containerFactory, type RabbitCluster, rpcClientFactory, startRabbitCluster } from '../../src/testing';

const why = clusterUnavailable();
if (why) console.warn(`[rabbitmq cluster] tests not run: ${why}`);
const describeWithCluster = why ? describe.skip : describe;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function echoService(name: string) {
  @service(name)
  class Echo {
    @rpc async echo(value: string) {
      return value;
    }
  }
  return Echo;
}

describeWithCluster('a service on a three-node RabbitMQ cluster', () => {
  let cluster: RabbitCluster;
  const containers = containerFactory();
  const clients = rpcClientFactory({ timeoutMs: 5_000 });

  beforeAll(async () => {
    cluster = await startRabbitCluster(3);
  }, 240_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 120_000);

  /** Calls until one is answered; how long that took from `since`, and how many calls failed meanwhile. */
  async function servedAgain(call: () => Promise<unknown>, since: number, withinMs: number): Promise<{ outMs: number; failed: number }> {
    let failed = 0;
    for (;;) {
      try {
        await call();
        return { outMs: Date.now() - since, failed };
      } catch (error) {
        failed++;
        if (Date.now() - since > withinMs) throw new Error(`not served again within ${withinMs} ms: ${(error as Error).message}`);
        await sleep(250);
      }
    }
  }

  const nodeOf = (container: ServiceContainer) => (container.transport as AmqpTransport).connectedNode;

  it.each([['quorum'], ['classic']])('with %s queues, moves to another node when its node goes down, and serves again', async (queueType) => {
    const name = `cluster_${queueType}_${randomUUID().slice(0, 6)}`;
    const config = { AMQP_URI: cluster.uri, AMQP_QUEUE_TYPE: queueType, heartbeatSeconds: 1 };
    const container = containers(echoService(name), config);
    await container.start();
    const client = await clients({ uri: cluster.uri, queueType: queueType as 'classic' | 'quorum' });
    await expect(client.call(name, 'echo', ['before'])).resolves.toBe('before');
    // Both connect to the first node they are given.
    expect(nodeOf(container)).toBe(cluster.nodes[0]!.uri.replace('guest:guest', 'guest:***'));

    const lostAt = Date.now();
    await cluster.nodes[0]!.down();
    try {
      if (queueType === 'quorum') {
        // Replicated: served from the other two nodes while the first is down.
        const { outMs, failed } = await servedAgain(() => client.call(name, 'echo', ['during']), lostAt, 60_000);
        expect(nodeOf(container)).not.toBe(cluster.nodes[0]!.uri.replace('guest:guest', 'guest:***'));
        process.stdout.write(`[cluster] quorum queue: served again ${outMs} ms after its node went down (${failed} calls failed meanwhile)\n`);
      } else {
        // A classic queue lives on its node alone: no call is served until the node is back.
        await sleep(3_000);
        await expect(client.call(name, 'echo', ['during'])).rejects.toThrow();
        process.stdout.write('[cluster] classic queue: not served while its node is down\n');
      }
    } finally {
      await cluster.nodes[0]!.up();
    }
    const backAt = Date.now();
    const { outMs } = await servedAgain(() => client.call(name, 'echo', ['after']), backAt, 60_000);
    process.stdout.write(`[cluster] ${queueType} queue: served ${outMs} ms after the node came back\n`);
  }, 180_000);
});
