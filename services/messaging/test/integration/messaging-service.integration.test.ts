// The messaging service in a container on the real PostgreSQL and RabbitMQ, sending to a real SMTP
// server on loopback: sent the events of the user, project and payment services as they send
// them, and called as support's facade calls it. One file: the service's event queues are shared
// by every container of it in a run.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventMessage, Forbidden, type Logger, NotAuthorized, replayDeadLetters, rpc, type ServiceProxy, service, ServiceContainer } from '@platform/shimeji';
import { testDatabaseUrl } from '@platform/db/testing';
import { ROLE } from '@platform/schemas';
import { accessConfig, actingAs, rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';
import type { MessagingService } from '../../src/service';
import { memberAdded, paymentRefunded, paymentTaken, purchase, userRegistered } from '../support/events';
import { parseEmail } from '../support/mime';
import { type User, user } from '../support/users';
import {
  BadRequest,
  deadLetterReason,
  DeliveryFailed,
  directory,
  errors,
  messageRows,
  NotFound,
  type Running,
  startMessagingService,
  waitFor,
  workersDone,
} from './harness';
import { TestSmtpServer } from './smtp';

const PAYMENT_TAKEN_QUEUE = 'evt-payment-payment_taken--messaging.sendOrderPaidConfirmationEmail';
const MEMBER_ADDED_QUEUE = 'evt-project-member_added--messaging.sendInvitationEmail';
const MAX_ATTEMPTS = 3;

/** A user the stand-in user service knows. */
function known(name: string): User {
  const someone = user(name);
  directory.set(someone.id, someone);
  return someone;
}

describe('the messaging service on PostgreSQL, RabbitMQ and a real SMTP server', () => {
  const clients = rpcClientFactory({ timeoutMs: 20_000, errors });
  const smtp = new TestSmtpServer();
  let running: Running;
  /** The service as a call without a token reaches it. */
  let messaging: ServiceProxy<MessagingService>;
  /** As the support facade calls it for the agent `agentId`. */
  let support: ServiceProxy<MessagingService>;
  const agentId = randomUUID();

  beforeAll(async () => {
    await smtp.start();
    running = await startMessagingService({
      MESSAGING_DATABASE_URL: testDatabaseUrl('messaging'),
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: smtp.port,
      eventMaxAttempts: MAX_ATTEMPTS,
      eventRetryDelayMs: 50,
    });
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    await smtp.stop();
  });

  beforeEach(async () => {
    messaging = (await clients({ uri: running.uri })).service<MessagingService>('messaging');
    support = actingAs({ sub: agentId, role: ROLE.support, audience: 'support' }, messaging);
  });

  /** Dispatches as `source` does and waits until the handler finished with it, successfully. */
  async function handled(method: string, source: string, type: string, payload: { [key: string]: any }, about: string) {
    const done = workersDone(running.container, method, about);
    await running.events.dispatch(source, type, payload);
    expect((await done)[0]!.error).toBeUndefined();
  }

  /** Buys something as `payer`, and has the receipt sent. */
  async function paid(payer: User) {
    const bought = purchase(payer.id, { description: 'Seeds', amount: 1500, currency: 'EUR' });
    await handled('sendOrderPaidConfirmationEmail', 'payment', 'payment_taken', paymentTaken(bought), bought.order.id);
    return bought;
  }

  it('welcomes a registered user', async () => {
    const ann = user('Ann'); // user_registered carries the user: no lookup needed
    await handled('sendWelcomeEmail', 'user', 'user_registered', userRegistered(ann), ann.id);
    const [email] = smtp.about(ann.email);
    expect(email).toMatchObject({ recipients: [ann.email], to: ann.email, from: 'Platform <no-reply@platform.local>', subject: 'Welcome to the platform, Ann' });
    expect(email!.text).toContain(`Your account ${ann.email} is ready`);
    expect(email!.html).toContain(`<strong>${ann.email}</strong>`);
  });

  it('sends the payer the order-paid confirmation, with the order, the project and the amount in the subject and both parts', async () => {
    const ann = known('Ann');
    const bought = purchase(ann.id, { description: 'Seeds & bulbs', amount: 123456, currency: 'EUR', project: 'Garden <north>' });
    await handled('sendOrderPaidConfirmationEmail', 'payment', 'payment_taken', paymentTaken(bought), bought.order.id);

    const [email] = smtp.about(bought.order.id);
    expect(email).toMatchObject({ recipients: [ann.email], subject: 'Payment received: €1,234.56 for Seeds & bulbs (Garden <north>)' });
    for (const fact of ['Seeds & bulbs', bought.order.id, 'Garden <north>', bought.project.id, '€1,234.56', bought.transaction.id]) {
      expect(email!.text).toContain(fact);
    }
    for (const fact of ['Seeds &amp; bulbs', bought.order.id, 'Garden &lt;north&gt;', bought.project.id, '€1,234.56']) expect(email!.html).toContain(fact);
    const [row] = await messageRows(running.knex, { order_id: bought.order.id });
    expect(row).toMatchObject({ kind: 'order_paid_confirmation', recipient_id: ann.id, recipient_email: ann.email, status: 'sent', attempts: 1 });
    expect(row!.smtp_message_id).toBe(email!.messageId);
    expect(row!.sent_at).toBeInstanceOf(Date);
  });

  it('sends the payer a refund notice with the amount, the order, the project and the reason', async () => {
    const ann = known('Ann');
    const bought = purchase(ann.id, { amount: 999, currency: 'GBP' });
    await handled('sendRefundNoticeEmail', 'payment', 'payment_refunded', paymentRefunded(bought, randomUUID(), 'Arrived broken'), bought.order.id);
    const [email] = smtp.about(bought.order.id);
    expect(email).toMatchObject({ recipients: [ann.email], subject: 'Refund of £9.99 for Seeds (Garden)' });
    for (const part of [email!.text, email!.html]) for (const fact of [bought.order.id, bought.project.id, '£9.99', 'Arrived broken']) expect(part).toContain(fact);
  });

  it('invites a new member, saying who added them', async () => {
    const ann = known('Ann');
    const bob = known('Bob');
    const project = { id: randomUUID(), name: 'Garden' };
    await handled('sendInvitationEmail', 'project', 'member_added', memberAdded(project, bob.id, ann.id), bob.id);
    const [email] = smtp.about(bob.email);
    expect(email).toMatchObject({ recipients: [bob.email], subject: 'Ann added you to the project Garden' });
    expect(email!.text).toContain(project.id);
  });

  it('sends one email for an event delivered twice, and for another event about the same order', async () => {
    const ann = known('Ann');
    const bought = purchase(ann.id);
    const done = workersDone(running.container, 'sendOrderPaidConfirmationEmail', bought.order.id, 3);
    const message = eventMessage('payment', 'payment_taken', paymentTaken(bought), {});
    await running.events.transport.publish(message);
    await running.events.transport.publish(message); // a duplicate: the same message id
    await running.events.dispatch('payment', 'payment_taken', paymentTaken(bought, { transaction: { id: 'tx_retried' } })); // another id

    expect((await done).map((outcome) => outcome.error)).toEqual([undefined, undefined, undefined]);
    expect(smtp.about(bought.order.id)).toHaveLength(1);
    expect(await messageRows(running.knex, { order_id: bought.order.id })).toHaveLength(1);
    const processed = await running.knex('shimeji_processed_messages').where({ message_id: message.properties.messageId });
    expect(processed.map((row: { consumer: string }) => row.consumer)).toEqual(['messaging.sendOrderPaidConfirmationEmail']);
  });

  it('retries while the SMTP server is down, dead-letters the event with the reason, sends nothing twice, and carries on once it is back', async () => {
    const ann = known('Ann');
    await smtp.stop();
    const lost = purchase(ann.id);
    const attempts = workersDone(running.container, 'sendOrderPaidConfirmationEmail', lost.order.id, MAX_ATTEMPTS);
    await running.events.dispatch('payment', 'payment_taken', paymentTaken(lost));

    const failures = (await attempts).map((outcome) => (outcome.error as Error).constructor.name);
    expect(failures).toEqual(Array(MAX_ATTEMPTS).fill('DeliveryFailed'));
    const reason = await deadLetterReason(running.events.transport, PAYMENT_TAKEN_QUEUE, lost.order.id);
    expect(reason).toMatch(
      new RegExp(`^handler messaging\\.sendOrderPaidConfirmationEmail failed ${MAX_ATTEMPTS} time\\(s\\): DeliveryFailed: SMTP 127\\.0\\.0\\.1:${smtp.port} did not take email .*ECONNREFUSED`),
    );
    expect(await messageRows(running.knex, { order_id: lost.order.id })).toEqual([
      expect.objectContaining({ status: 'failed', attempts: MAX_ATTEMPTS, error: expect.stringMatching(/ECONNREFUSED/), sent_at: null }),
    ]);

    await smtp.start(); // back, on the same port
    const later = await paid(ann);
    expect(smtp.about(later.order.id)).toHaveLength(1);
    expect(smtp.about(lost.order.id)).toEqual([]);

    // Once the cause is fixed, an operator sends the dead letter back: it goes out, once.
    const replayed = workersDone(running.container, 'sendOrderPaidConfirmationEmail', lost.order.id);
    expect(await replayDeadLetters(running.events.transport, PAYMENT_TAKEN_QUEUE)).toBe(1);
    expect((await replayed)[0]!.error).toBeUndefined();
    expect(smtp.about(lost.order.id)).toHaveLength(1);
    expect(await messageRows(running.knex, { order_id: lost.order.id })).toEqual([expect.objectContaining({ status: 'sent', attempts: MAX_ATTEMPTS + 1, error: null })]);
  });

  it('dead-letters an event it cannot act on with the reason, one that does not fit at once, and sends nothing', async () => {
    const ann = known('Ann');
    const stranger = randomUUID();
    const project = { id: randomUUID(), name: 'Garden' };
    const unknownMember = workersDone(running.container, 'sendInvitationEmail', stranger, MAX_ATTEMPTS);
    await running.events.dispatch('project', 'member_added', memberAdded(project, stranger, ann.id));
    const malformed = purchase(ann.id);
    const badPayload = workersDone(running.container, 'sendOrderPaidConfirmationEmail', malformed.order.id, 1);
    await running.events.dispatch('payment', 'payment_taken', paymentTaken(malformed, { amount: '15.00', paid_by: { id: 'ann' } }));
    await Promise.all([unknownMember, badPayload]);

    expect(await deadLetterReason(running.events.transport, MEMBER_ADDED_QUEUE, stranger)).toMatch(
      new RegExp(`failed ${MAX_ATTEMPTS} time\\(s\\): NotFound: no user ${stranger} to send the invitation to project ${project.id} to`),
    );
    const reason = await deadLetterReason(running.events.transport, PAYMENT_TAKEN_QUEUE, malformed.order.id);
    expect(reason).toMatch(/failed 1 time\(s\): BadRequest: paid_by\.id: .*; amount: .*\(a permanent error: not retried\)/);
    expect(smtp.about(stranger)).toEqual([]);
    expect(smtp.about(malformed.order.id)).toEqual([]);
    expect(await messageRows(running.knex, { order_id: malformed.order.id })).toEqual([]);
  });

  it('resends an order receipt from the log to the address it went to, recording who asked', async () => {
    const ann = known('Ann');
    const bought = await paid(ann);
    directory.delete(ann.id); // the log has all it needs: no lookup
    const resent = await support.resendOrderReceipt(bought.order.id, agentId);
    const [first, again] = smtp.about(bought.order.id);
    expect(again).toMatchObject({ recipients: [ann.email], subject: first!.subject, text: first!.text, html: first!.html });
    expect(again!.messageId).not.toBe(first!.messageId);
    const rows = await messageRows(running.knex, { order_id: bought.order.id });
    expect(resent).toMatchObject({ id: rows[1]!.id, status: 'sent', resent_of: rows[0]!.id, requested_by: agentId, smtp_message_id: again!.messageId });

    await expect(support.resendOrderReceipt(randomUUID(), agentId)).rejects.toBeInstanceOf(NotFound);
  });

  it('answers DeliveryFailed to a resend while the SMTP server is down', async () => {
    const ann = known('Ann');
    const bought = await paid(ann);
    await smtp.stop();
    try {
      await expect(support.resendOrderReceipt(bought.order.id, agentId)).rejects.toBeInstanceOf(DeliveryFailed);
    } finally {
      await smtp.start();
    }
    expect((await messageRows(running.knex, { order_id: bought.order.id })).map((r) => r.status)).toEqual(['sent', 'failed']);
  });

  it('lists what was sent to a user, newest first, without bodies or anything else it keeps', async () => {
    const ann = known('Ann');
    await handled('sendWelcomeEmail', 'user', 'user_registered', userRegistered(ann), ann.id);
    const bought = await paid(ann);
    await support.resendOrderReceipt(bought.order.id, agentId);

    const listed = await support.listMessagesForUser(ann.id);
    expect(listed.map((m) => [m.kind, m.resent_of === null])).toEqual([
      ['order_paid_confirmation', false],
      ['order_paid_confirmation', true],
      ['welcome', true],
    ]);
    expect(Object.keys(listed[0]!).sort()).toEqual(
      ['attempts', 'created_at', 'id', 'kind', 'order_id', 'project_id', 'recipient_email', 'recipient_id', 'requested_by', 'resent_of', 'sent_at', 'smtp_message_id', 'status', 'subject'].sort(),
    );
    expect(JSON.stringify(listed)).not.toMatch(/<p>|Hello Ann/);
    await expect(support.listMessagesForUser(randomUUID())).resolves.toEqual([]);
  });

  it('refuses bad input to both endpoints, naming the field, and sends nothing', async () => {
    const before = smtp.received.length;
    const attempts: [string, () => Promise<unknown>][] = [
      ['orderId', () => support.resendOrderReceipt('42', agentId)],
      ['orderId', () => support.resendOrderReceipt(undefined as never, agentId)],
      ['userId', () => support.listMessagesForUser(['a'] as never)],
      ['userId', () => support.listMessagesForUser(null as never)],
    ];
    for (const [field, attempt] of attempts) {
      const error = (await attempt().catch((e: unknown) => e)) as BadRequest;
      const fields = error instanceof BadRequest ? error.details.map((d) => d.field) : [];
      expect({ field, error: error?.constructor.name, fields }).toEqual({ field, error: 'BadRequest', fields: expect.arrayContaining([field]) });
    }
    expect(smtp.received.length).toBe(before);
  });

  it('refuses a call without a token, a resend in another agent’s name and a customer reading another’s mail, and sends nothing', async () => {
    const ann = known('Ann');
    const bought = await paid(ann);
    const before = smtp.received.length;
    const customer = (id: string) => actingAs({ sub: id, role: ROLE.customer }, messaging);
    await expect(messaging.resendOrderReceipt(bought.order.id, agentId)).rejects.toBeInstanceOf(NotAuthorized);
    await expect(support.resendOrderReceipt(bought.order.id, randomUUID())).rejects.toBeInstanceOf(Forbidden);
    await expect(customer(ann.id).resendOrderReceipt(bought.order.id, ann.id)).rejects.toBeInstanceOf(Forbidden);
    await expect(customer(randomUUID()).listMessagesForUser(ann.id)).rejects.toBeInstanceOf(Forbidden);
    expect(smtp.received.length).toBe(before);
    await expect(customer(ann.id).listMessagesForUser(ann.id)).resolves.toEqual([expect.objectContaining({ kind: 'order_paid_confirmation' })]);
  });
});

/** The user service as the messaging service reaches it over RPC, with its NotFound on the wire. */
class UnknownUser extends Error {
  static excPath = 'user.exceptions.NotFound';
}

@service('user')
class UserStandIn {
  @rpc({ expectedExceptions: [UnknownUser], allow: [ROLE.service] })
  async getUser(userId: string) {
    const found = directory.get(userId);
    if (!found) throw new UnknownUser(`no user ${userId}`);
    return found;
  }
}

describe('the messaging service with no SMTP host and no database URL', () => {
  let dataDir: string;
  let running: Running;
  let users: ServiceContainer;
  const logged: string[] = [];

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'messaging-'));
    // It checks tokens as the user service does: the lookups must carry messaging's own.
    users = new ServiceContainer(UserStandIn, { AMQP_URI: testBrokerUri(), logLevel: 'silent', ...accessConfig() });
    await users.start();
    const record = (message: unknown, text?: string) => logged.push(String(text ?? message));
    const logger = { child: () => logger, isLevelEnabled: () => true, debug: record, info: record, warn: record, error: record } as unknown as Logger;
    running = await startMessagingService({ DATA_DIR: dataDir, eventMaxAttempts: 1 }, undefined, { logger });
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
    await users?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes each email as an .eml file under DATA_DIR/mail, recipients looked up over RPC, and says so at start', async () => {
    const folder = path.join(dataDir, 'mail');
    expect(logged).toContain(`no SMTP host: writing emails to ${folder}`);
    const ann = known('Ann');
    const bought = purchase(ann.id);
    const done = workersDone(running.container, 'sendOrderPaidConfirmationEmail', bought.order.id);
    await running.events.dispatch('payment', 'payment_taken', paymentTaken(bought));
    expect((await done)[0]!.error).toBeUndefined();

    const files = await waitFor('an .eml file', () => (fs.existsSync(folder) && fs.readdirSync(folder).length > 0 ? fs.readdirSync(folder) : undefined));
    expect(files).toEqual([expect.stringMatching(/\.eml$/)]);
    const email = parseEmail(fs.readFileSync(path.join(folder, files[0]!)));
    expect(email).toMatchObject({ to: ann.email, subject: 'Payment received: €15.00 for Seeds (Garden)' });
    expect(email.text).toContain(bought.order.id);
    expect(email.html).toContain(bought.project.id);
    const [row] = await messageRows(running.knex, { order_id: bought.order.id });
    expect(row).toMatchObject({ status: 'sent', smtp_message_id: email.messageId });
  });

  it('dead-letters an event whose recipient the user service does not know', async () => {
    const stranger = randomUUID();
    const bought = purchase(stranger);
    await running.events.dispatch('payment', 'payment_taken', paymentTaken(bought));
    expect(await deadLetterReason(running.events.transport, PAYMENT_TAKEN_QUEUE, bought.order.id)).toMatch(
      new RegExp(`failed 1 time\\(s\\): NotFound: no user ${stranger} to send the receipt of order ${bought.order.id} to`),
    );
  });
});
