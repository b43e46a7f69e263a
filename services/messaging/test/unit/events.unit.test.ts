// The four emails, from the events that ask for them, with fakes: no database, broker or mail
// server. Each goes to the right person, once; what does not fit raises, so that the broker tries
// the event again and then dead-letters it with the reason.
import { randomUUID } from 'node:crypto';
import { DeliveryFailed } from '../../src/dependencies/mail';
import * as exc from '../../src/exceptions';
import { memberAdded, paymentRefunded, paymentTaken, purchase, userRegistered } from '../support/events';
import { failure, messagingWorker, user } from './fakes';

describe('the welcome email', () => {
  it('goes to the registered user, from the event alone', async () => {
    const { service, mail, users, messageLog } = messagingWorker();
    const ann = user('Ann');
    await service.sendWelcomeEmail(userRegistered(ann));
    expect(mail.sent).toEqual([expect.objectContaining({ to: ann.email, subject: 'Welcome to the platform, Ann' })]);
    expect(users.getUser.calls).toEqual([]);
    expect([...messageLog.rows.values()]).toEqual([
      expect.objectContaining({ kind: 'welcome', source_key: ann.id, recipient_id: ann.id, status: 'sent', data: { name: 'Ann', email: ann.email } }),
    ]);
  });
});

describe('the order-paid confirmation', () => {
  it('goes to the payer, looked up by id, with the order, the project and the amount', async () => {
    const ann = user('Ann');
    const { service, mail, users, messageLog } = messagingWorker(ann);
    const bought = purchase(ann.id, { description: 'Seeds', amount: 1999, currency: 'GBP' });
    await service.sendOrderPaidConfirmationEmail(paymentTaken(bought));
    expect(users.getUser.calls).toEqual([[ann.id]]);
    const [email] = mail.sent;
    expect(email).toMatchObject({ to: ann.email, subject: 'Payment received: £19.99 for Seeds (Garden)' });
    for (const body of [email!.text, email!.html]) expect(body).toContain(bought.order.id);
    const [row] = [...messageLog.rows.values()];
    expect(row).toMatchObject({ kind: 'order_paid_confirmation', source_key: bought.order.id, order_id: bought.order.id, project_id: bought.project.id });
    expect(row).toMatchObject({ status: 'sent', smtp_message_id: `<${row!.id}@platform.local>`, attempts: 1 });
  });

  it('reserves the record, then sends, then marks it sent: the record exists before the email leaves', async () => {
    const ann = user('Ann');
    const { service, steps } = messagingWorker(ann);
    await service.sendOrderPaidConfirmationEmail(paymentTaken(purchase(ann.id)));
    expect(steps).toEqual(['reserve', 'send', 'markSent']);
  });

  it('is sent once for an order, however many events say it was paid', async () => {
    const ann = user('Ann');
    const { service, mail, messageLog, log } = messagingWorker(ann);
    const bought = purchase(ann.id);
    await service.sendOrderPaidConfirmationEmail(paymentTaken(bought));
    messageLog.eventId = randomUUID(); // another event, with a message id of its own
    await service.sendOrderPaidConfirmationEmail(paymentTaken(bought, { transaction: { id: 'tx_again' } }));
    expect(mail.sent).toHaveLength(1);
    expect(messageLog.rows.size).toBe(1);
    expect(log.info.calls.map((call: unknown[]) => call[1])).toEqual(['email sent already: not sent again']);
  });

  it('records a refusal by the mail server and raises it, and the next attempt sends it', async () => {
    const ann = user('Ann');
    const { service, mail, messageLog, steps } = messagingWorker(ann);
    mail.failWith = new DeliveryFailed('SMTP 127.0.0.1:2525 did not take email x: ECONNECTION: connect ECONNREFUSED');
    const event = paymentTaken(purchase(ann.id));
    const error = await failure(service.sendOrderPaidConfirmationEmail(event));
    expect(error).toBeInstanceOf(exc.DeliveryFailed);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect([...messageLog.rows.values()]).toEqual([expect.objectContaining({ status: 'failed', attempts: 1, error: expect.stringMatching(/ECONNREFUSED/) })]);

    mail.failWith = undefined;
    await service.sendOrderPaidConfirmationEmail(event); // the same event, tried again
    expect(steps).toEqual(['reserve', 'send', 'markFailed', 'reserve', 'send', 'markSent']);
    expect(mail.sent).toHaveLength(1);
    expect([...messageLog.rows.values()]).toEqual([expect.objectContaining({ status: 'sent', attempts: 2, error: null })]);
  });

  it('is not sent again by the event that stopped while sending it: the email may have left', async () => {
    const ann = user('Ann');
    const { service, mail, messageLog } = messagingWorker(ann);
    mail.failWith = new Error('the process died here'); // not a refusal: nobody knows whether it left
    const event = paymentTaken(purchase(ann.id));
    await expect(service.sendOrderPaidConfirmationEmail(event)).rejects.toThrow('the process died here');
    expect([...messageLog.rows.values()]).toEqual([expect.objectContaining({ status: 'sending' })]);

    mail.failWith = undefined;
    const error = await failure(service.sendOrderPaidConfirmationEmail(event)); // redelivered: same message id
    expect(error).toBeInstanceOf(exc.DeliveryUncertain);
    expect(error.message).toMatch(/it may have left, so it is not sent again/);
    expect(mail.sent).toEqual([]);
  });

  it('is left to the event that is sending it when a duplicate arrives meanwhile', async () => {
    const ann = user('Ann');
    const { service, mail, messageLog, log } = messagingWorker(ann);
    const bought = purchase(ann.id);
    mail.failWith = new Error('still talking to the server');
    await expect(service.sendOrderPaidConfirmationEmail(paymentTaken(bought))).rejects.toThrow();
    mail.failWith = undefined;
    messageLog.eventId = randomUUID();
    await service.sendOrderPaidConfirmationEmail(paymentTaken(bought));
    expect(mail.sent).toEqual([]);
    expect(log.warn.calls.map((call: unknown[]) => call[1])).toEqual(['email being sent for another event: left to it']);
  });
});

describe('the refund notice', () => {
  it('goes to the payer with the amount, the order, the project and the reason', async () => {
    const ann = user('Ann');
    const { service, mail, users } = messagingWorker(ann);
    const bought = purchase(ann.id, { amount: 1500, currency: 'EUR' });
    await service.sendRefundNoticeEmail(paymentRefunded(bought, randomUUID(), 'Delivered <late>'));
    expect(users.getUser.calls).toEqual([[ann.id]]);
    const [email] = mail.sent;
    expect(email).toMatchObject({ to: ann.email, subject: 'Refund of €15.00 for Seeds (Garden)' });
    expect(email!.text).toContain('Reason: Delivered <late>');
    expect(email!.html).toContain('Delivered &lt;late&gt;');
  });

  it('is sent once per order, and apart from its receipt', async () => {
    const ann = user('Ann');
    const { service, mail, messageLog } = messagingWorker(ann);
    const bought = purchase(ann.id);
    await service.sendOrderPaidConfirmationEmail(paymentTaken(bought));
    await service.sendRefundNoticeEmail(paymentRefunded(bought, randomUUID()));
    messageLog.eventId = randomUUID();
    await service.sendRefundNoticeEmail(paymentRefunded(bought, randomUUID()));
    expect(mail.sent.map((e) => e.subject.split(' ')[0])).toEqual(['Payment', 'Refund']);
  });
});

describe('the invitation', () => {
  it('goes to the new member and says who added them', async () => {
    const ann = user('Ann');
    const bob = user('Bob');
    const { service, mail, users, messageLog } = messagingWorker(ann, bob);
    const project = { id: randomUUID(), name: 'Garden' };
    await service.sendInvitationEmail(memberAdded(project, bob.id, ann.id));
    expect(users.getUser.calls).toEqual([[bob.id], [ann.id]]);
    expect(mail.sent).toEqual([expect.objectContaining({ to: bob.email, subject: 'Ann added you to the project Garden' })]);
    expect([...messageLog.rows.values()]).toEqual([expect.objectContaining({ kind: 'invitation', source_key: `${project.id}:${bob.id}`, project_id: project.id })]);
  });

  it('does without the inviter’s name when the user service no longer knows them', async () => {
    const bob = user('Bob');
    const { service, mail } = messagingWorker(bob);
    await service.sendInvitationEmail(memberAdded({ id: randomUUID(), name: 'Garden' }, bob.id, randomUUID()));
    expect(mail.sent[0]!.subject).toBe('A member of the project added you to the project Garden');
  });
});

describe('events that do not fit', () => {
  it('raise NotFound for a recipient the user service does not know, and send nothing', async () => {
    const { service, mail, messageLog } = messagingWorker();
    const nobody = randomUUID();
    const error = await failure(service.sendOrderPaidConfirmationEmail(paymentTaken(purchase(nobody))));
    expect(error).toBeInstanceOf(exc.NotFound);
    expect(error.message).toMatch(new RegExp(`no user ${nobody} to send the receipt of order`));
    await expect(service.sendInvitationEmail(memberAdded({ id: randomUUID(), name: 'G' }, nobody, nobody))).rejects.toBeInstanceOf(exc.NotFound);
    expect(mail.sent).toEqual([]);
    expect(messageLog.rows.size).toBe(0);
  });

  it('raise BadRequest naming the fields, and send nothing', async () => {
    const ann = user('Ann');
    const { service, mail, users } = messagingWorker(ann);
    const bought = purchase(ann.id);
    const cases: [Promise<unknown>, string[]][] = [
      [service.sendWelcomeEmail({ user: { id: ann.id, name: 'Ann' } }), ['user.email']],
      [service.sendWelcomeEmail('registered'), ['(arguments)']],
      [service.sendOrderPaidConfirmationEmail(paymentTaken(bought, { amount: 12.5, currency: 'eur' })), ['amount', 'currency']],
      [service.sendOrderPaidConfirmationEmail({ ...paymentTaken(bought), order: { id: 'o-1' }, paid_by: undefined }), ['order.id', 'order.description', 'order.amount', 'order.currency', 'paid_by']],
      [service.sendRefundNoticeEmail(paymentRefunded(bought, ann.id, '')), ['reason']],
      [service.sendInvitationEmail({ project: { id: randomUUID() }, member: { id: 7 }, added_by: { id: ann.id } }), ['project.name', 'member.id']],
    ];
    for (const [call, fields] of cases) {
      const error = await failure(call);
      expect({ error: error.constructor.name, fields: error.details?.map((d) => d.field).sort() }).toEqual({ error: 'BadRequest', fields: [...fields].sort() });
    }
    expect(mail.sent).toEqual([]);
    expect(users.getUser.calls).toEqual([]);
  });

  it('ignore the fields they do not use', async () => {
    const ann = user('Ann');
    const { service, mail } = messagingWorker(ann);
    await service.sendOrderPaidConfirmationEmail(paymentTaken(purchase(ann.id), { payment_method: undefined, coupon: { code: 'X' }, order_status: 'paid' }));
    expect(mail.sent).toHaveLength(1);
  });
});
