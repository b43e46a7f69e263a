import { type Delivery, Extension, inspectDeadLetters, MemoryBroker, MemoryTransport, type ServiceContainer, type Transport } from '../../src';
import { QueueConsumer } from '../../src/queue-consumer';

const tick = () => new Promise((resolve) => setImmediate(resolve));

class Owner extends Extension {}

async function setUp(handle: (delivery: Delivery) => Promise<void>, transport?: Transport) {
  const memory = new MemoryTransport(new MemoryBroker());
  await memory.connect();
  await memory.assertQueue('q', { durable: true });
  const errors: unknown[] = [];
  const owner = new Owner();
  owner.container = {
    transport: transport ?? memory,
    maxWorkers: 2,
    logger: { error: (fields: unknown) => errors.push(fields) },
  } as unknown as ServiceContainer;
  const consumer = new QueueConsumer<string>(owner, handle);
  const send = (body: string) => memory.publish({ exchange: '', routingKey: 'q', body: Buffer.from(body), properties: {} });
  return { memory, consumer, send, errors };
}

function later() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the queue consumer', () => {
  it('hands messages to its handler, no more at once than the container’s prefetch', async () => {
    const held: Delivery[] = [];
    const { consumer, send } = await setUp(async (delivery) => void held.push(delivery));
    await consumer.start('q');
    for (const body of ['a', 'b', 'c']) await send(body);
    await tick();
    expect(held.map((d) => d.body.toString())).toEqual(['a', 'b']);
    held[0]!.ack();
    await tick();
    expect(held.map((d) => d.body.toString())).toEqual(['a', 'b', 'c']);
  });

  it('drains: stops receiving, then waits until every message received is settled', async () => {
    const gate = later();
    const handled: string[] = [];
    const { consumer, send } = await setUp(async (delivery) => {
      await gate.promise;
      handled.push(delivery.body.toString());
      delivery.ack();
    });
    await consumer.start('q');
    await send('a');
    await tick();
    let drained = false;
    const draining = consumer.drain().then(() => (drained = true));
    expect(consumer.stopping).toBe(true);
    await send('b');
    await tick();
    expect(drained).toBe(false);
    gate.resolve();
    await draining;
    expect(handled).toEqual(['a']);
  });

  it('runs a key once: a redelivery of a key completed here replays the earlier outcome', async () => {
    const { consumer } = await setUp(async () => undefined);
    const run = jest.fn(async () => 'answer');
    const replay = jest.fn(async () => undefined);
    await consumer.once('k', false, run, replay);
    await consumer.once('k', true, run, replay);
    expect(run).toHaveBeenCalledTimes(1);
    expect(replay).toHaveBeenCalledWith('answer');
  });

  it('runs again a key whose message went back to the queue unsettled, and anything without a key', async () => {
    const { consumer } = await setUp(async () => undefined);
    const run = jest.fn(async (): Promise<string | undefined> => undefined);
    const replay = jest.fn(async () => undefined);
    await consumer.once('k', false, run, replay);
    await consumer.once('k', true, run, replay);
    await consumer.once(undefined, true, run, replay);
    expect(run).toHaveBeenCalledTimes(3);
    expect(replay).not.toHaveBeenCalled();
  });

  it('dead-letters a message with the reason', async () => {
    const { consumer, memory, send } = await setUp(async (delivery) => void (await consumer.deadLetter('q', delivery, 'no good')));
    await consumer.start('q');
    await send('bad');
    await tick();
    await consumer.drain();
    expect((await inspectDeadLetters(memory, 'q')).map((l) => [l.reason, l.body])).toEqual([['no good', 'bad']]);
  });

  it('hands a message back to the queue when it cannot be dead-lettered', async () => {
    const broken = { assertExchange: async () => Promise.reject(new Error('broker says no')) } as unknown as Transport;
    const { consumer, memory, send, errors } = await setUp(async () => undefined, broken);
    await send('bad');
    const delivery = (await memory.get('q'))!;
    await expect(consumer.deadLetter('q', delivery, 'no good')).resolves.toBe(false);
    expect(errors).toHaveLength(1);
    expect((await memory.get('q'))!.redelivered).toBe(true);
  });

  it('logs a handler that fails, and still counts its message as done', async () => {
    let settle!: Delivery;
    const { consumer, send, errors } = await setUp(async (delivery) => {
      settle = delivery;
      throw new Error('bug');
    });
    await consumer.start('q');
    await send('a');
    await tick();
    settle.ack();
    await consumer.drain();
    expect(errors).toEqual([expect.objectContaining({ queue: 'q' })]);
  });
});
