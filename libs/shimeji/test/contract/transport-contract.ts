// What every Transport promises about its connection, run against memory and RabbitMQ alike.
import { randomUUID } from 'node:crypto';
import { createLogger, createTransport, type Transport } from '../../src';
import { eventually, testBrokerUri } from '../../src/testing';
import type { Delivery } from '../../src/transport/transport';

export function transportContract(kind: 'amqp' | 'memory'): void {
  const opened: Transport[] = [];
  const make = (uri = testBrokerUri(kind)) => {
    const transport = createTransport(uri, {
      heartbeatSeconds: 5,
      connectionName: 'transport contract',
      logger: createLogger('silent'),
    });
    opened.push(transport);
    return transport;
  };

  afterEach(async () => {
    for (const transport of opened.splice(0)) await transport.close().catch(() => undefined);
  });

  it('says it is not connected before connect() is called', () => {
    expect(make().connected).toBe(false);
  });

  it('says it is connected once connect() resolves', async () => {
    const transport = make();
    await transport.connect();
    expect(transport.connected).toBe(true);
  });

  it('says it is not connected once closed', async () => {
    const transport = make();
    await transport.connect();
    await transport.close();
    expect(transport.connected).toBe(false);
  });

  describe('an unconfirmed publish', () => {
    async function withQueue() {
      const transport = make();
      await transport.connect();
      const exchange = `transport-contract-${randomUUID()}`;
      const queue = `${exchange}-q`;
      await transport.assertExchange(exchange, { durable: false, autoDelete: true });
      await transport.assertQueue(queue, { durable: false, autoDelete: true });
      await transport.bindQueue(queue, exchange, 'to.*');
      return { transport, exchange, queue };
    }

    it('reaches a bound queue with its properties', async () => {
      const { transport, exchange, queue } = await withQueue();
      const got: Delivery[] = [];
      await transport.consume(queue, (d) => (got.push(d), d.ack()), { prefetch: 1 });

      await transport.publish({
        exchange,
        routingKey: 'to.me',
        body: Buffer.from('{"result":1,"error":null}'),
        properties: { contentType: 'application/json', deliveryMode: 1, correlationId: 'c-1', headers: {} },
        unconfirmed: true,
      });

      await eventually('the unconfirmed message', () => got[0]);
      expect(got).toHaveLength(1);
      expect(got[0]!.body.toString()).toBe('{"result":1,"error":null}');
      expect(got[0]!.properties).toMatchObject({ contentType: 'application/json', deliveryMode: 1, correlationId: 'c-1' });
      await transport.deleteQueue(queue);
    });

    it('resolves, and does not fail, when mandatory and no queue takes it', async () => {
      const { transport, exchange, queue } = await withQueue();

      await expect(
        transport.publish({
          exchange,
          routingKey: 'nowhere',
          body: Buffer.from('{}'),
          properties: { correlationId: 'c-2' },
          mandatory: true,
          unconfirmed: true,
        }),
      ).resolves.toBeUndefined();
      // The connection is still usable afterwards.
      await transport.publish({ exchange, routingKey: 'to.me', body: Buffer.from('{}'), properties: {} });
      await transport.deleteQueue(queue);
    });
  });

  describe('a consumer without acks', () => {
    it('gets every message whatever its prefetch, and a close gives none back to the queue', async () => {
      const uri = testBrokerUri(kind);
      const transport = make(uri);
      await transport.connect();
      const queue = `transport-contract-noack-${randomUUID()}`;
      await transport.assertQueue(queue, { durable: false, autoDelete: false });
      const got: string[] = [];
      // Never acked: with acks, the prefetch of 1 would hold the second back and the close give it back.
      await transport.consume(queue, (d) => got.push(d.body.toString()), { prefetch: 1, noAck: true });
      for (const n of ['1', '2', '3']) await transport.publish({ exchange: '', routingKey: queue, body: Buffer.from(n), properties: { messageId: n } });
      await eventually('three messages', () => (got.length === 3 ? got : undefined));
      await transport.close();

      const reader = make(uri);
      await reader.connect();
      expect(await reader.get(queue)).toBeNull();
      expect(got).toEqual(['1', '2', '3']);
      await reader.deleteQueue(queue);
    });
  });
}
