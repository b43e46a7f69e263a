// `shimeji dead-letters` without a queue: an overview of every dead-letter queue on the broker.
import { createTransport, deadLetter } from '../../src';
import { ageText, formatReport } from '../../src/cli/dead-letter-report';
import { testBrokerUri } from '../../src/testing';
import { startCli } from './cli-process';

describe('the list of dead-letter queues', () => {
  const uri = testBrokerUri();

  it('shows every dead-letter queue with its message count and the age of its oldest message', async () => {
    const transport = createTransport(uri, { heartbeatSeconds: 5 });
    await transport.connect();
    const queues = [`cli-list-a-${Date.now()}`, `cli-list-b-${Date.now()}`];
    try {
      for (const [i, queue] of queues.entries()) {
        await transport.assertQueue(queue, { durable: true });
        for (let n = 0; n <= i; n++) {
          await transport.publish({ exchange: '', routingKey: queue, body: Buffer.from(`{"n": ${n}}`), properties: {} });
          const delivery = await transport.get(queue);
          await deadLetter(transport, queue, delivery!, 'handler failed 1 time(s): Error: boom');
        }
      }
      const cli = startCli(['dead-letters', '--broker', uri]);
      expect(await cli.exited).toBe(0);
      expect(cli.output()).toMatch(new RegExp(`^${queues[0]}\\.dead-letter  1 message\\(s\\)  oldest: \\d+s \\(\\d{4}-\\d\\d-\\d\\dT`, 'm'));
      expect(cli.output()).toMatch(new RegExp(`^${queues[1]}\\.dead-letter  2 message\\(s\\)  oldest: \\d+s `, 'm'));
      // Reading the oldest message leaves it where it was.
      expect((await transport.get(`${queues[1]}.dead-letter`))?.body.toString()).toBe('{"n": 0}');
    } finally {
      for (const queue of queues) {
        await transport.deleteQueue(queue);
        await transport.deleteQueue(`${queue}.dead-letter`);
      }
      await transport.close();
    }
  }, 30_000);

  it('tells ages at a glance and says when there are no dead-letter queues', () => {
    expect([40_000, 432_000, 7_500_000, 273_600_000].map(ageText)).toEqual(['40s', '7m 12s', '2h 5m', '3d 4h']);
    expect(formatReport([], Date.now())).toBe('no dead-letter queues\n');
    expect(formatReport([{ queue: 'q.dead-letter', messages: 0 }], Date.now())).toBe('q.dead-letter  0 message(s)\n');
  });
});
