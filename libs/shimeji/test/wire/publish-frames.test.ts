// The transport publishes through amqplib's frame sender rather than `channel.publish` (see
// src/transport/amqp-publish.ts): what reaches a consumer must be the very message amqplib's own
// publish would have sent, for every kind of header value a Nameko peer meets.
import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { testBrokerUri } from '../../src/testing';
import { framesPublishable, publishConfirmedFrames, publishUnconfirmedFrames } from '../../src/transport/amqp-publish';
import type { MessageProperties } from '../../src/transport/transport';

const properties: MessageProperties = {
  contentType: 'application/json',
  contentEncoding: 'utf-8',
  deliveryMode: 2,
  priority: 0,
  correlationId: randomUUID(),
  replyTo: 'rpc.reply-shop-1',
  messageId: randomUUID(),
  headers: {
    'nameko.call_id_stack': ['web.http.req-1', 'project.getOrder.4'],
    'nameko.traceparent': '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    'nameko.language': 'ünïcode',
    'nameko.attempt': 3,
    'nameko.flag': true,
    'nameko.nested': { a: 1, b: ['x'] },
    'nameko.nothing': null,
  },
};

describe('publishing through amqplib frames', () => {
  let connection: amqp.ChannelModel;
  let confirm: amqp.ConfirmChannel;
  let plain: amqp.Channel;
  const queue = `shimeji-publish-frames-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    connection = await amqp.connect(testBrokerUri());
    confirm = await connection.createConfirmChannel();
    plain = await connection.createChannel();
    await plain.assertQueue(queue, { exclusive: true });
  });

  afterAll(async () => {
    await connection.close();
  });

  const take = async (): Promise<amqp.GetMessage> => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const message = await plain.get(queue, { noAck: true });
      if (message) return message;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`nothing arrived on ${queue}`);
  };

  const asAmqplibWouldSend = async (): Promise<amqp.GetMessage> => {
    plain.publish('', queue, Buffer.from('{"args": []}'), { ...properties, headers: properties.headers });
    return take();
  };

  it('is possible with the amqplib this workspace installs', () => {
    expect(framesPublishable(confirm, true)).toBe(true);
    expect(framesPublishable(plain, false)).toBe(true);
  });

  it('sends the same properties and headers as channel.publish, confirmed', async () => {
    const expected = await asAmqplibWouldSend();
    await new Promise<void>((resolve, reject) =>
      publishConfirmedFrames(confirm, '', queue, Buffer.from('{"args": []}'), properties, false, (error) => (error ? reject(error) : resolve())),
    );
    const sent = await take();
    expect(sent.properties).toEqual(expected.properties);
    expect(sent.content.equals(expected.content)).toBe(true);
    expect(sent.fields.routingKey).toBe(queue);
  });

  it('sends the same properties and headers as channel.publish, unconfirmed', async () => {
    const expected = await asAmqplibWouldSend();
    publishUnconfirmedFrames(plain, '', queue, Buffer.from('{"args": []}'), properties, false);
    const sent = await take();
    expect(sent.properties).toEqual(expected.properties);
    expect(sent.properties.headers).toEqual(properties.headers);
  });

  it('has its confirm once the broker holds the message', async () => {
    const before = (await plain.checkQueue(queue)).messageCount;
    await new Promise<void>((resolve, reject) =>
      publishConfirmedFrames(confirm, '', queue, Buffer.from('{}'), properties, false, (error) => (error ? reject(error) : resolve())),
    );
    expect((await plain.checkQueue(queue)).messageCount).toBe(before + 1);
    await take();
  });
});
