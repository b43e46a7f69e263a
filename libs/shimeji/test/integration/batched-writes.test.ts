// amqplib writes each frame on its own; the transport makes each turn of its multiplexer one
// socket write. Pinned here for amqplib upgrades: the internals it uses are present, and a burst
// of messages goes out in a few writes, whole and in order.
import net from 'node:net';
import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { createLogger, createTransport } from '../../src';
import { eventually, testBrokerUri } from '../../src/testing';
import { writesBatchable } from '../../src/transport/amqp-batched-writes';

describe('batched socket writes', () => {
  it('finds what it needs in this amqplib', async () => {
    const connection = await amqp.connect(testBrokerUri());
    try {
      expect(writesBatchable(connection)).toBe(true);
    } finally {
      await connection.close();
    }
  });

  it('sends a burst of messages in a few socket writes, each whole and in order', async () => {
    const transport = createTransport(testBrokerUri(), { heartbeatSeconds: 5, connectionName: 'batched writes', logger: createLogger('silent') });
    await transport.connect();
    const queue = `batched-writes-${randomUUID()}`;
    try {
      await transport.assertQueue(queue, { durable: false, autoDelete: false });
      const got: string[] = [];
      await transport.consume(queue, (d) => got.push(d.body.toString()), { prefetch: 0, noAck: true });
      const proto = net.Socket.prototype as unknown as { _writeGeneric: (...args: unknown[]) => unknown };
      const original = proto._writeGeneric;
      let writes = 0;
      proto._writeGeneric = function (this: unknown, ...args: unknown[]) {
        writes++;
        return original.apply(this, args);
      };
      const sent = Array.from({ length: 100 }, (_, i) => `message ${i}`);
      try {
        await Promise.all(sent.map((body, i) => transport.publish({ exchange: '', routingKey: queue, body: Buffer.from(body), properties: { messageId: String(i) }, unconfirmed: true })));
        await eventually('every message', () => (got.length === sent.length ? got : undefined));
      } finally {
        proto._writeGeneric = original;
      }
      process.stdout.write(`[batched writes] ${writes} socket writes for ${sent.length} messages\n`);
      // A write a message unbatched (the consuming side writes nothing: no acks).
      expect(writes).toBeLessThan(20);
      expect(got).toEqual(sent);
    } finally {
      await transport.deleteQueue(queue).catch(() => undefined);
      await transport.close();
    }
  });
});
