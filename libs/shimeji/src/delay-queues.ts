// Failed events wait for their next attempt in queues of our own, not in process memory: a
// waiting event holds no consumer slot, and it survives a restart of its service. Each delay
// queue expires its messages after its delay (x-message-ttl) and the broker dead-letters them
// back to the handler queue through the default exchange, so the handler queue itself keeps
// Nameko's declaration.
import { DEFAULT_EXCHANGE, PERSISTENT, RETRY_QUEUE_IDLE_EXPIRY_MS, retryQueueName } from './constants';
import { formatDuration } from './duration';
import type { Delivery, Headers, QueueOptions, Transport } from './transport/transport';

/** `<queue>.retry.<delay>`, e.g. `evt-payment-payment_taken--messaging.sendEmail.retry.10s`. */
export function delayQueueName(queue: string, delayMs: number): string {
  return retryQueueName(queue, formatDuration(delayMs));
}

/** How the delay queue for `queue` and `delayMs` is declared: every declaration must agree. */
export function delayQueueOptions(queue: string, delayMs: number): QueueOptions {
  return {
    durable: true,
    arguments: {
      'x-message-ttl': delayMs,
      'x-dead-letter-exchange': DEFAULT_EXCHANGE,
      'x-dead-letter-routing-key': queue,
      // Left behind by a handler that is gone (a broadcast instance's, say), it goes away; in
      // use it is declared again before each publish, which keeps it.
      'x-expires': delayMs + RETRY_QUEUE_IDLE_EXPIRY_MS,
    },
  };
}

/**
 * Publishes the delivery again (with publisher confirms) to wait `delayMs` before it returns
 * to `queue`, with `headers` added. The caller acks the original only once this resolves.
 */
export async function publishDelayed(transport: Transport, queue: string, delivery: Delivery, delayMs: number, headers: Headers): Promise<void> {
  let target = queue;
  if (delayMs > 0) {
    target = delayQueueName(queue, delayMs);
    await transport.assertQueue(target, delayQueueOptions(queue, delayMs));
  }
  await transport.publish({
    exchange: DEFAULT_EXCHANGE,
    routingKey: target,
    body: delivery.body,
    properties: { ...delivery.properties, deliveryMode: PERSISTENT, headers: { ...delivery.properties.headers, ...headers } },
  });
}
