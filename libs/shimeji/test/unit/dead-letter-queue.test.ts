import { ATTEMPTS_HEADER, DEAD_LETTER_HEADERS } from '../../src/constants';
import { deadLetter, deadLetterQueueOf, inspectDeadLetters, replayDeadLetters } from '../../src/dead-letter-queue';
import { type Delivery, MemoryBroker, MemoryTransport } from '../../src';

async function oneDelivery(headers: Record<string, unknown> = {}) {
  const transport = new MemoryTransport(new MemoryBroker());
  await transport.connect();
  await transport.assertExchange('shop.events', { durable: true });
  await transport.assertQueue('evt-shop-sold--ledger.record', { durable: true });
  await transport.bindQueue('evt-shop-sold--ledger.record', 'shop.events', 'sold');
  await transport.publish({ exchange: 'shop.events', routingKey: 'sold', body: Buffer.from('{"id":1}'), properties: { headers } });
  const delivery = (await transport.get('evt-shop-sold--ledger.record')) as Delivery;
  return { transport, delivery, queue: 'evt-shop-sold--ledger.record' };
}

describe('the dead-letter queue', () => {
  it('names the same dead-letter queue for a queue and for its dead-letter queue', () => {
    expect(deadLetterQueueOf('rpc-payment')).toBe('rpc-payment.dead-letter');
    expect(deadLetterQueueOf('rpc-payment.dead-letter')).toBe('rpc-payment.dead-letter');
  });

  it('moves a message aside with the reason and where it came from, and acknowledges the original', async () => {
    const { transport, delivery, queue } = await oneDelivery();
    await deadLetter(transport, queue, delivery, 'cannot handle');
    expect(await transport.get(queue)).toBeNull();
    const [letter] = await inspectDeadLetters(transport, queue);
    expect(letter).toMatchObject({
      reason: 'cannot handle',
      originalQueue: queue,
      originalExchange: 'shop.events',
      originalRoutingKey: 'sold',
      body: '{"id":1}',
    });
    expect(Date.parse(letter!.deadLetteredAt)).not.toBeNaN();
  });

  it('leaves the letters it shows in their queue', async () => {
    const { transport, delivery, queue } = await oneDelivery();
    await deadLetter(transport, queue, delivery, 'cannot handle');
    expect(await inspectDeadLetters(transport, queue)).toHaveLength(1);
    expect(await inspectDeadLetters(transport, queue)).toHaveLength(1);
  });

  it('replays a letter by its first route, without the dead-letter and attempt headers', async () => {
    const { transport, delivery, queue } = await oneDelivery({ [ATTEMPTS_HEADER]: 3, 'nameko.user_id': 7 });
    await deadLetter(transport, queue, delivery, 'cannot handle');
    expect(await replayDeadLetters(transport, queue)).toBe(1);
    expect(await inspectDeadLetters(transport, queue)).toEqual([]);
    const again = await transport.get(queue);
    expect(again!.body.toString()).toBe('{"id":1}');
    expect(again!.properties.headers).toEqual({ 'nameko.user_id': 7 });
    for (const header of Object.values(DEAD_LETTER_HEADERS)) expect(again!.properties.headers).not.toHaveProperty(header);
  });

  it('finds nothing where nothing was ever dead-lettered', async () => {
    const { transport } = await oneDelivery();
    await expect(inspectDeadLetters(transport, 'evt-never')).resolves.toEqual([]);
    await expect(replayDeadLetters(transport, 'evt-never')).resolves.toBe(0);
  });
});
