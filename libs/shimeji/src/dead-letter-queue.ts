// The dead-letter queues: messages that cannot be processed are moved aside, never dropped and
// never left to block their queue; an operator looks at what was dead-lettered and why, and
// sends it back where it came from once the cause is fixed. The original queue keeps Nameko's
// declaration (no x-dead-letter arguments, which would clash with a Nameko service declaring
// the same queue), so we republish explicitly.
import {
  ATTEMPTS_HEADER,
  DEAD_LETTER_EXCHANGE,
  DEAD_LETTER_HEADERS,
  DEAD_LETTER_QUEUE_SUFFIX,
  DEAD_LETTER_REGISTRY_QUEUE,
  DEFAULT_EXCHANGE,
  deadLetterQueueName,
  FIRST_FAILED_AT_HEADER,
  PERSISTENT,
} from './constants';
import type { Delivery, Headers, Transport } from './transport/transport';

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
    await register(transport, target);
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

/**
 * Records the dead-letter queue's name in the registry, once per process and queue; the copies
 * left by restarts are removed by whoever lists the registry.
 */
async function register(transport: Transport, deadLetterQueue: string): Promise<void> {
  await transport.assertQueue(DEAD_LETTER_REGISTRY_QUEUE, { durable: true });
  await transport.publish({
    exchange: DEFAULT_EXCHANGE,
    routingKey: DEAD_LETTER_REGISTRY_QUEUE,
    body: Buffer.from(deadLetterQueue),
    properties: { deliveryMode: PERSISTENT, messageId: deadLetterQueue },
  });
}

/**
 * The dead-letter queues ever registered, each once. Duplicates are dropped from the registry
 * as it is read; the rest go back to it.
 */
export async function registeredDeadLetterQueues(transport: Transport): Promise<string[]> {
  const held: Delivery[] = [];
  const names = new Set<string>();
  try {
    await transport.assertQueue(DEAD_LETTER_REGISTRY_QUEUE, { durable: true });
    for (;;) {
      const delivery = await transport.get(DEAD_LETTER_REGISTRY_QUEUE);
      if (!delivery) break;
      const name = delivery.body.toString('utf8');
      if (names.has(name)) delivery.ack();
      else {
        names.add(name);
        held.push(delivery);
      }
    }
  } finally {
    for (const delivery of held) delivery.nack(true);
  }
  return [...names].sort();
}

export interface DeadLetter {
  reason: string;
  originalQueue: string;
  originalExchange: string;
  originalRoutingKey: string;
  deadLetteredAt: string;
  body: string;
}

/** `rpc-payment` or `rpc-payment.dead-letter`: both name the same dead-letter queue. */
export function deadLetterQueueOf(queue: string): string {
  return queue.endsWith(DEAD_LETTER_QUEUE_SUFFIX) ? queue : deadLetterQueueName(queue);
}

function describe(delivery: Delivery): DeadLetter {
  const headers = delivery.properties.headers ?? {};
  const text = (key: string) => String(headers[key] ?? '');
  return {
    reason: text(DEAD_LETTER_HEADERS.reason),
    originalQueue: text(DEAD_LETTER_HEADERS.queue),
    originalExchange: text(DEAD_LETTER_HEADERS.exchange),
    originalRoutingKey: text(DEAD_LETTER_HEADERS.routingKey),
    deadLetteredAt: text(DEAD_LETTER_HEADERS.at),
    body: delivery.body.toString('utf8'),
  };
}

/** The next dead letter, or null: none yet, or no dead-letter queue yet (nothing ever failed there). */
async function nextDeadLetter(transport: Transport, queue: string): Promise<Delivery | null> {
  try {
    return await transport.get(deadLetterQueueOf(queue));
  } catch (error) {
    if (/NOT_FOUND|404/.test(String((error as Error).message))) return null;
    throw error;
  }
}

/** Up to `limit` dead letters, left in their queue. */
export async function inspectDeadLetters(transport: Transport, queue: string, limit = 20): Promise<DeadLetter[]> {
  const held: Delivery[] = [];
  try {
    for (let i = 0; i < limit; i++) {
      const delivery = await nextDeadLetter(transport, queue);
      if (!delivery) break;
      held.push(delivery);
    }
    return held.map(describe);
  } finally {
    for (const delivery of held) delivery.nack(true);
  }
}

/**
 * Publishes up to `limit` dead letters again to the exchange and routing key they first came
 * by, without the dead-letter and retry headers, so they are handled as new. Returns how many.
 */
export async function replayDeadLetters(transport: Transport, queue: string, limit = Infinity): Promise<number> {
  let replayed = 0;
  while (replayed < limit) {
    const delivery = await nextDeadLetter(transport, queue);
    if (!delivery) break;
    const letter = describe(delivery);
    const headers: Headers = { ...delivery.properties.headers };
    for (const key of [...Object.values(DEAD_LETTER_HEADERS), ATTEMPTS_HEADER, FIRST_FAILED_AT_HEADER]) delete headers[key];
    try {
      await transport.publish({
        exchange: letter.originalExchange,
        routingKey: letter.originalRoutingKey,
        body: delivery.body,
        properties: { ...delivery.properties, headers },
      });
    } catch (error) {
      delivery.nack(true);
      throw error;
    }
    delivery.ack();
    replayed++;
  }
  return replayed;
}
