// Support's endpoints with fakes: resending a receipt from the log, and what a user was sent.
import { randomUUID } from 'node:crypto';
import * as exc from '../../src/exceptions';
import { paymentTaken, purchase, userRegistered } from '../support/events';
import { failure, messagingWorker, user } from './fakes';

const SUPPORT = randomUUID();

describe('resending an order receipt', () => {
  it('sends the confirmation again, as it was, to the address it went to, and records who asked', async () => {
    const ann = user('Ann');
    const { service, mail, users } = messagingWorker(ann);
    const bought = purchase(ann.id);
    await service.sendOrderPaidConfirmationEmail(paymentTaken(bought));
    users.getUser.calls.length = 0;

    const resent = await service.resendOrderReceipt(bought.order.id, SUPPORT);
    const [first, again] = mail.sent;
    expect({ ...again, id: undefined }).toEqual({ ...first, id: undefined });
    expect(again!.id).not.toBe(first!.id);
    expect(users.getUser.calls).toEqual([]);
    expect(resent).toMatchObject({ id: again!.id, kind: 'order_paid_confirmation', status: 'sent', order_id: bought.order.id, requested_by: SUPPORT });
    expect(resent.resent_of).toBe(first!.id);
  });

  it('may resend any number of times, each once', async () => {
    const ann = user('Ann');
    const { service, mail } = messagingWorker(ann);
    const bought = purchase(ann.id);
    await service.sendOrderPaidConfirmationEmail(paymentTaken(bought));
    await service.resendOrderReceipt(bought.order.id, SUPPORT);
    await service.resendOrderReceipt(bought.order.id, SUPPORT);
    expect(mail.sent).toHaveLength(3);
  });

  it('answers NotFound when no receipt was ever sent for the order', async () => {
    const ann = user('Ann');
    const { service, mail } = messagingWorker(ann);
    await service.sendWelcomeEmail(userRegistered(ann));
    const error = await failure(service.resendOrderReceipt(randomUUID(), SUPPORT));
    expect(error).toBeInstanceOf(exc.NotFound);
    expect(error.message).toMatch(/no receipt was ever sent for order/);
    expect(mail.sent).toHaveLength(1);
  });

  it('answers DeliveryFailed when the mail server refuses it, and records the failure', async () => {
    const ann = user('Ann');
    const { service, mail, messageLog } = messagingWorker(ann);
    const bought = purchase(ann.id);
    await service.sendOrderPaidConfirmationEmail(paymentTaken(bought));
    mail.failWith = new mail.DeliveryFailed('SMTP down');
    await expect(service.resendOrderReceipt(bought.order.id, SUPPORT)).rejects.toBeInstanceOf(exc.DeliveryFailed);
    expect([...messageLog.rows.values()].map((r) => r.status)).toEqual(['sent', 'failed']);
  });

  it('refuses malformed ids naming each field', async () => {
    const { service } = messagingWorker();
    const error = (await failure(service.resendOrderReceipt('42', null as never))) as exc.BadRequest;
    expect(error).toBeInstanceOf(exc.BadRequest);
    expect(error.details.map((d) => d.field).sort()).toEqual(['orderId', 'requestedBy']);
  });
});

describe('listing what a user was sent', () => {
  it('lists their emails newest first, without bodies, data or failure details', async () => {
    const ann = user('Ann');
    const bob = user('Bob');
    const { service } = messagingWorker(ann, bob);
    await service.sendWelcomeEmail(userRegistered(ann));
    await service.sendWelcomeEmail(userRegistered(bob));
    const bought = purchase(ann.id);
    await service.sendOrderPaidConfirmationEmail(paymentTaken(bought));

    const listed = await service.listMessagesForUser(ann.id);
    expect(listed.map((m) => m.kind)).toEqual(['order_paid_confirmation', 'welcome']);
    expect(listed[0]).toEqual({
      id: expect.any(String),
      kind: 'order_paid_confirmation',
      recipient_id: ann.id,
      recipient_email: ann.email,
      subject: 'Payment received: €15.00 for Seeds (Garden)',
      order_id: bought.order.id,
      project_id: bought.project.id,
      status: 'sent',
      smtp_message_id: expect.stringMatching(/^<.+@platform\.local>$/),
      attempts: 1,
      resent_of: null,
      requested_by: null,
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      sent_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    await expect(service.listMessagesForUser(randomUUID())).resolves.toEqual([]);
  });

  it('refuses a malformed user id naming the field', async () => {
    const { service } = messagingWorker();
    await expect(service.listMessagesForUser('me')).rejects.toThrow(/userId/);
    await expect(service.listMessagesForUser(undefined as never)).rejects.toBeInstanceOf(exc.BadRequest);
  });
});
