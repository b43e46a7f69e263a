// `shimeji dead-letters [<queue>] [--replay] [--limit N]`: which dead-letter queues hold
// messages, what was dead-lettered and why, and sending it back once the cause is fixed.
import { readConfig, type ServiceConfig } from '../config';
import { deadLetterQueueOf, inspectDeadLetters, replayDeadLetters } from '../dead-letter-queue';
import { createTransport } from '../transport/create-transport';
import { deadLetterQueueReport, formatReport } from './dead-letter-report';

/** Without a queue: every dead-letter queue with its message count and oldest message's age. */
export async function deadLettersCommand(queue: string | undefined, config: ServiceConfig, options: { replay: boolean; limit: number }): Promise<number> {
  const transport = createTransport(readConfig.amqpUri(config), {
    heartbeatSeconds: readConfig.heartbeatSeconds(config),
    connectionName: 'shimeji dead-letters',
    queueType: readConfig.amqpQueueType(config),
  });
  await transport.connect();
  try {
    if (queue === undefined) {
      process.stdout.write(formatReport(await deadLetterQueueReport(transport, readConfig.amqpUri(config)), Date.now()));
    } else if (options.replay) {
      const count = await replayDeadLetters(transport, queue, options.limit);
      process.stdout.write(`replayed ${count} message(s) from ${deadLetterQueueOf(queue)}\n`);
    } else {
      const letters = await inspectDeadLetters(transport, queue, options.limit);
      process.stdout.write(`${letters.length} message(s) shown from ${deadLetterQueueOf(queue)}\n`);
      for (const letter of letters) process.stdout.write(`${JSON.stringify(letter)}\n`);
    }
    return 0;
  } finally {
    await transport.close();
  }
}
