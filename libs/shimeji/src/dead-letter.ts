// Messages that cannot be processed are moved aside, never dropped and never left to block the
// queue. The original queue keeps Nameko's declaration (no x-dead-letter arguments, which would
// clash with a Nameko service declaring the same queue), so we republish explicitly.
import { DEAD_LETTER_EXCHANGE, DEAD_LETTER_HEADERS, deadLetterQueueName } from './constants';
import type { Delivery, Transport } from './transport/transport';

const declared = new WeakMap<Transport, Set<string>>();

/** Stores the message in `<queue>.dead-letter` with the reason, then acknowledges the original. */
export async function deadLetter(transport: Transport, queue: string, delivery: Delivery, reason: string): Promise<void> {
  const target = deadLetterQueueName(queue);
  let known = declared.get(transport);
  if (!known) declared.set(transport, (known = new Set()));
  if (!known.has(target)) {
    await transport.assertExchange(DEAD_LETTER_EXCHANGE, { durable: true });
    await transport.assertQueue(target, { durable: true });
    await transport.bindQueue(target, DEAD_LETTER_EXCHANGE, queue);
    known.add(target);
  }
  await transport.publish({
    exchange: DEAD_LETTER_EXCHANGE,
    routingKey: queue,
    body: delivery.body,
    properties: {
      ...delivery.properties,
      headers: {
        ...(delivery.properties.headers ?? {}),
        [DEAD_LETTER_HEADERS.reason]: reason,
        [DEAD_LETTER_HEADERS.queue]: queue,
        [DEAD_LETTER_HEADERS.exchange]: delivery.exchange,
        [DEAD_LETTER_HEADERS.routingKey]: delivery.routingKey,
        [DEAD_LETTER_HEADERS.at]: new Date().toISOString(),
      },
    },
  });
  delivery.ack();
}
