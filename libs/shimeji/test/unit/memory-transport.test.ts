import { type Delivery, MemoryBroker, MemoryTransport, topicMatches, Unroutable } from '../../src';

const tick = () => new Promise((resolve) => setImmediate(resolve));

async function connected() {
  const transport = new MemoryTransport(new MemoryBroker());
  await transport.connect();
  await transport.assertExchange('ex', { durable: true });
  await transport.assertQueue('q', { durable: true });
  await transport.bindQueue('q', 'ex', 'a.*');
  return transport;
}

const publish = (t: MemoryTransport, key: string, body: string, mandatory = false) =>
  t.publish({ exchange: 'ex', routingKey: key, body: Buffer.from(body), properties: {}, mandatory });

describe('topic matching', () => {
  it('matches one word with * and any number with #', () => {
    expect(topicMatches('a.*', 'a.b')).toBe(true);
    expect(topicMatches('a.*', 'a.b.c')).toBe(false);
    expect(topicMatches('a.#', 'a')).toBe(true);
    expect(topicMatches('#.c', 'a.b.c')).toBe(true);
    expect(topicMatches('uuid-1', 'uuid-1')).toBe(true);
    expect(topicMatches('a.b', 'a.c')).toBe(false);
  });
});

describe('the in-memory broker', () => {
  it('fails a mandatory publish that no queue receives', async () => {
    const t = await connected();
    await expect(publish(t, 'b.x', 'lost', true)).rejects.toBeInstanceOf(Unroutable);
    await expect(publish(t, 'b.x', 'dropped')).resolves.toBeUndefined();
  });

  it('holds back deliveries beyond the prefetch until one is acknowledged', async () => {
    const t = await connected();
    const got: Delivery[] = [];
    await t.consume('q', (d) => got.push(d), { prefetch: 2 });
    for (const n of [1, 2, 3]) await publish(t, 'a.x', String(n));
    await tick();
    expect(got.map((d) => d.body.toString())).toEqual(['1', '2']);
    got[0]!.ack();
    await tick();
    expect(got.map((d) => d.body.toString())).toEqual(['1', '2', '3']);
  });

  it('redelivers a requeued message, marked as redelivered', async () => {
    const t = await connected();
    const got: Delivery[] = [];
    await t.consume('q', (d) => got.push(d), { prefetch: 1 });
    await publish(t, 'a.x', 'again');
    await tick();
    got[0]!.nack(true);
    await tick();
    expect(got).toHaveLength(2);
    expect(got[1]!.redelivered).toBe(true);
  });

  it('returns unacknowledged messages to the queue when a connection closes', async () => {
    const broker = new MemoryBroker();
    const first = new MemoryTransport(broker);
    await first.connect();
    await first.assertExchange('ex', { durable: true });
    await first.assertQueue('q', { durable: true });
    await first.bindQueue('q', 'ex', '#');
    await first.consume('q', () => undefined, { prefetch: 0 });
    await publish(first, 'a.x', 'in flight');
    await tick();
    await first.close();
    expect(broker.messageCount('q')).toBe(1);
  });

  it('forgets what it sent a consumer without acks: no prefetch holds it back, a close gives nothing back', async () => {
    const broker = new MemoryBroker();
    const t = new MemoryTransport(broker);
    await t.connect();
    await t.assertExchange('ex', { durable: true });
    await t.assertQueue('q', { durable: true });
    await t.bindQueue('q', 'ex', '#');
    const got: string[] = [];
    await t.consume('q', (d) => got.push(d.body.toString()), { prefetch: 1, noAck: true });
    for (const n of [1, 2, 3]) await publish(t, 'a.x', String(n));
    await tick();
    await t.close();
    expect(got).toEqual(['1', '2', '3']);
    expect(broker.messageCount('q')).toBe(0);
  });

  it('shares work between consumers in turn', async () => {
    const t = await connected();
    const a: string[] = [];
    const b: string[] = [];
    await t.consume('q', (d) => (a.push(d.body.toString()), d.ack()), { prefetch: 0 });
    await t.consume('q', (d) => (b.push(d.body.toString()), d.ack()), { prefetch: 0 });
    for (const n of [1, 2, 3, 4]) await publish(t, 'a.x', String(n));
    await tick();
    expect([a.length, b.length]).toEqual([2, 2]);
  });
});

describe('message expiry in the in-memory broker', () => {
  it('dead-letters a message still waiting after the queue TTL to the queue it names', async () => {
    const t = await connected();
    await t.assertQueue('waiting', {
      durable: true,
      arguments: { 'x-message-ttl': 30, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': 'q' },
    });
    const published = performance.now();
    await t.publish({ exchange: '', routingKey: 'waiting', body: Buffer.from('later'), properties: { headers: { n: 1 } } });
    const got: Delivery[] = [];
    let deliveredAfterMs = 0;
    // Timed from the publish rather than by sleeping a fixed window: a loaded machine stretches sleeps.
    const delivered = new Promise<void>((resolve) => {
      void t.consume('q', (d) => {
        deliveredAfterMs = performance.now() - published;
        got.push(d);
        resolve();
      }, { prefetch: 0 });
    });
    await delivered;
    expect(deliveredAfterMs).toBeGreaterThanOrEqual(29);
    expect(got.map((d) => [d.body.toString(), d.properties.headers, d.routingKey])).toEqual([['later', { n: 1 }, 'q']]);
    expect(t.broker.messageCount('waiting')).toBe(0);
  });
});
