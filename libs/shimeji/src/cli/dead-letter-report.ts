// What `shimeji dead-letters` without a queue shows: every dead-letter queue on the broker, how
// many messages it holds and how long the oldest has waited. AMQP cannot list queues and the
// management plugin may be off, so the names come from the registry that dead-lettering keeps
// (DEAD_LETTER_REGISTRY_QUEUE); the counts from a passive declaration, and the oldest message's
// age from its x-shimeji-dead-lettered-at header, read with basic.get and handed back.
import * as amqp from 'amqplib';
import { DEAD_LETTER_HEADERS } from '../constants';
import { registeredDeadLetterQueues } from '../dead-letter-queue';
import type { Transport } from '../transport/transport';

export interface DeadLetterQueueReport {
  queue: string;
  messages: number;
  /** When the message at the head of the queue was dead-lettered, if it says. */
  oldestDeadLetteredAt?: string;
}

/** Every registered dead-letter queue that still exists, by name. */
export async function deadLetterQueueReport(transport: Transport, uri: string): Promise<DeadLetterQueueReport[]> {
  const names = await registeredDeadLetterQueues(transport);
  const connection = await amqp.connect(uri);
  try {
    const reports: DeadLetterQueueReport[] = [];
    for (const queue of names) {
      const messages = await messageCount(connection, queue);
      if (messages === undefined) continue;
      const report: DeadLetterQueueReport = { queue, messages };
      const oldest = messages > 0 ? await transport.get(queue) : null;
      if (oldest) {
        oldest.nack(true);
        const at = oldest.properties.headers?.[DEAD_LETTER_HEADERS.at];
        if (at !== undefined) report.oldestDeadLetteredAt = String(at);
      }
      reports.push(report);
    }
    return reports;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** By passive declaration, on a channel of its own since a missing queue closes it. */
async function messageCount(connection: amqp.ChannelModel, queue: string): Promise<number | undefined> {
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  try {
    return (await channel.checkQueue(queue)).messageCount;
  } catch {
    return undefined; // deleted since it was registered
  } finally {
    await channel.close().catch(() => undefined);
  }
}

/** `3d 4h`, `2h 5m`, `7m 12s`, `40s`: how long, to a glance's precision. */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const [d, h, m] = [Math.floor(s / 86_400), Math.floor(s / 3600) % 24, Math.floor(s / 60) % 60];
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

/** One line per queue: name, count, and the age of the oldest message. */
export function formatReport(reports: readonly DeadLetterQueueReport[], now: number): string {
  if (reports.length === 0) return 'no dead-letter queues\n';
  return reports
    .map(({ queue, messages, oldestDeadLetteredAt }) => {
      const at = oldestDeadLetteredAt === undefined ? NaN : Date.parse(oldestDeadLetteredAt);
      const oldest = messages === 0 ? '' : Number.isNaN(at) ? '  oldest: age unknown' : `  oldest: ${ageText(now - at)} (${oldestDeadLetteredAt})`;
      return `${queue}  ${messages} message(s)${oldest}\n`;
    })
    .join('');
}
