// Patient retries of failed events on the real broker: the event waits in a delay queue, not in
// the process, and comes back until it is handled or its deadline passes.
import { randomUUID } from 'node:crypto';
import * as amqp from 'amqplib';
import { ClusterEventDispatcher, createTransport, eventHandler, service, type ServiceClass, type Transport } from '../../src';
import { containerFactory, deadLetterReason, eventually, testBrokerUri } from '../../src/testing';

class MailServerDown extends Error {}
class BadAddress extends Error {}

interface MailService {
  name: string;
  cls: ServiceClass;
  queue: string;
  attempts: string[];
  sent: string[];
}

/** A service whose handler sends an email, through a mail server the test takes down and up. */
function mailService(mail: { up: boolean }): MailService {
  const name = `retry_${randomUUID().slice(0, 8)}`;
  const attempts: string[] = [];
  const sent: string[] = [];
  @service(name)
  class Mailer {
    @eventHandler('retry_shop', 'order_paid', { requeueOnError: true, permanentErrors: [BadAddress] })
    async sendReceipt(payload: { order: string }) {
      attempts.push(payload.order);
      if (payload.order.startsWith('bad-address')) throw new BadAddress(`cannot mail the buyer of ${payload.order}`);
      if (!mail.up) throw new MailServerDown('the mail server is down');
      sent.push(payload.order);
    }
  }
  return { name, cls: Mailer, queue: `evt-retry_shop-order_paid--${name}.sendReceipt`, attempts, sent };
}

describe('retries of failed events on the real broker', () => {
  const uri = testBrokerUri();
  const containers = containerFactory({ AMQP_URI: uri });
  let dispatcher: ClusterEventDispatcher;
  let broker: amqp.ChannelModel;
  let transport: Transport;

  beforeAll(async () => {
    dispatcher = await ClusterEventDispatcher.connect({ uri });
    broker = await amqp.connect(uri);
    transport = createTransport(uri, { heartbeatSeconds: 5 });
    await transport.connect();
  });

  afterAll(async () => {
    await dispatcher.close();
    await broker.close();
    await transport.close();
  });

  /** Messages waiting in a queue, by passive declaration; null when there is no such queue. */
  async function waiting(queue: string): Promise<number | null> {
    const channel = await broker.createChannel();
    channel.on('error', () => undefined);
    try {
      return (await channel.checkQueue(queue)).messageCount;
    } catch {
      return null;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  const count = (list: string[], order: string) => list.filter((o) => o === order).length;

  it('handles an event exactly once after the mail server comes back, never dead-lettering it, while a delay queue holds it', async () => {
    const mail = { up: false };
    const mailer = mailService(mail);
    await containers(mailer.cls, { eventRetrySchedule: ['200ms', '1500ms'], eventRetryDeadline: '1m' }).start();
    const order = `order-${randomUUID()}`;
    await dispatcher.dispatch('retry_shop', 'order_paid', { order });

    await eventually('the second failure', () => (count(mailer.attempts, order) >= 2 ? true : undefined));
    expect(await eventually('the event in the 1.5 s delay queue', async () => ((await waiting(`${mailer.queue}.retry.1500ms`)) === 1 ? 1 : undefined))).toBe(1);
    expect(await waiting(mailer.queue)).toBe(0);
    mail.up = true;

    await eventually('the email to be sent', () => (count(mailer.sent, order) === 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(count(mailer.sent, order)).toBe(1);
    expect(count(mailer.attempts, order)).toBeGreaterThanOrEqual(3);
    expect(await waiting(`${mailer.queue}.dead-letter`)).toBeNull();
  }, 30_000);

  it('dead-letters at once, with the reason, an event whose handler throws one of its permanent errors', async () => {
    const mailer = mailService({ up: true });
    await containers(mailer.cls, { eventRetrySchedule: ['200ms'] }).start();
    const order = `bad-address-${randomUUID()}`;
    await dispatcher.dispatch('retry_shop', 'order_paid', { order });

    const reason = await deadLetterReason(transport, mailer.queue, order);
    expect(reason).toBe(`handler ${mailer.name}.sendReceipt failed 1 time(s): BadAddress: cannot mail the buyer of ${order} (a permanent error: not retried)`);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(count(mailer.attempts, order)).toBe(1);
  }, 30_000);

  it('dead-letters an event with the reason once its retry deadline has passed', async () => {
    const mailer = mailService({ up: false });
    await containers(mailer.cls, { eventRetrySchedule: ['200ms'], eventRetryDeadline: '900ms' }).start();
    const order = `order-${randomUUID()}`;
    await dispatcher.dispatch('retry_shop', 'order_paid', { order });

    const reason = await deadLetterReason(transport, mailer.queue, order);
    expect(reason).toMatch(
      new RegExp(`^handler ${mailer.name}\\.sendReceipt failed [45] time\\(s\\): MailServerDown: the mail server is down \\(gave up: the retry deadline, 900ms after the first failure, passed\\)$`),
    );
    expect(count(mailer.attempts, order)).toBeGreaterThanOrEqual(4);
  }, 30_000);

  it('loses nothing when the service restarts while an event waits in a delay queue', async () => {
    const mail = { up: false };
    const mailer = mailService(mail);
    const config = { eventRetrySchedule: ['2s'], eventRetryDeadline: '1m' };
    const first = containers(mailer.cls, config);
    await first.start();
    const order = `order-${randomUUID()}`;
    await dispatcher.dispatch('retry_shop', 'order_paid', { order });
    await eventually('the first failure', async () => ((await waiting(`${mailer.queue}.retry.2s`)) === 1 ? true : undefined));
    await first.stop();

    mail.up = true;
    await containers(mailer.cls, config).start();
    await eventually('the email to be sent after the restart', () => (count(mailer.sent, order) === 1 ? true : undefined));
    expect(count(mailer.attempts, order)).toBe(2);
    expect(await waiting(`${mailer.queue}.retry.2s`)).toBe(0);
  }, 30_000);
});
