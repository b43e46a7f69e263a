// Three replicas of one service on the real broker: they share the work of one queue (each takes
// at most maxWorkers at a time), and when one is killed mid-burst the requests it held go back to
// the queue and are answered by the others: every call is answered, none lost.
import { randomUUID } from 'node:crypto';
import { rpc, service } from '../../src';
import { containerFactory, rpcClientFactory, testBrokerUri } from '../../src/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('replicas of a service', () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri(), maxWorkers: 4 });
  const clients = rpcClientFactory({ uri: testBrokerUri(), timeoutMs: 30_000 });

  /** Replica `replica` of service `name`: its answers say which replica served them. */
  function replicaOf(name: string, replica: string) {
    @service(name)
    class Worker {
      @rpc async work(id: string, ms: number) {
        await sleep(ms);
        return { id, replica };
      }
    }
    return containers(Worker);
  }

  it('spread one queue’s calls across every replica', async () => {
    const name = `replicas_${randomUUID().slice(0, 8)}`;
    const replicas = ['a', 'b', 'c'].map((replica) => replicaOf(name, replica));
    for (const replica of replicas) await replica.start();
    const client = await clients();
    const answers = (await Promise.all(Array.from({ length: 60 }, (_, i) => client.call(name, 'work', [`call-${i}`, 20])))) as { replica: string }[];
    const perReplica = Object.fromEntries(['a', 'b', 'c'].map((r) => [r, answers.filter((a) => a.replica === r).length]));
    process.stdout.write(`[replicas] 60 calls served per replica: ${JSON.stringify(perReplica)}\n`);
    for (const count of Object.values(perReplica)) expect(count).toBeGreaterThanOrEqual(8);
  }, 60_000);

  it('answer every call when one of them is killed mid-burst: what it held goes to the others', async () => {
    const name = `replicas_${randomUUID().slice(0, 8)}`;
    const replicas = ['a', 'b', 'c'].map((replica) => replicaOf(name, replica));
    for (const replica of replicas) await replica.start();
    const client = await clients();
    const calls = Array.from({ length: 60 }, (_, i) => client.call(name, 'work', [`call-${i}`, 100]) as Promise<{ id: string; replica: string }>);
    await sleep(150); // each replica holds work now
    expect(replicas[0]!.workersInFlight).toBeGreaterThan(0);
    await replicas[0]!.kill();
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.id)).toEqual(Array.from({ length: 60 }, (_, i) => `call-${i}`));
    const byKilled = answers.filter((a) => a.replica === 'a').length;
    process.stdout.write(`[replicas] a killed mid-burst: ${byKilled} of 60 answered by it before, the rest by b and c\n`);
    expect(byKilled).toBeLessThan(60);
  }, 60_000);
});
