// The messaging service: entrypoints only. Each event handler knows one email (not a generic "send
// email" endpoint): it validates the event, finds the recipient, renders the template and has it
// sent, once. Support's endpoints read the log of what was sent and resend a receipt from it.
import { ALLOW } from './access';
import { dump, entrypointOptions, validate } from '@platform/schemas';
import { eventHandler, inject, rpc, RpcProxy, service, WorkerLogger } from '@platform/shimeji';
import { messagingDatabase, type MessageRow } from './dependencies/db';
import { Mail } from './dependencies/mail';
import { type Draft, MessageLog } from './dependencies/message-log';
import * as exc from './exceptions';
import * as userErrors from './remote-errors';
import * as schemas from './schemas';
import * as templates from './templates';

export const USER_SERVICE = 'user';
export const USER_REGISTERED = 'user_registered';
export const PROJECT_SERVICE = 'project';
export const MEMBER_ADDED = 'member_added';
export const PAYMENT_SERVICE = 'payment';
export const PAYMENT_TAKEN = 'payment_taken';
export const PAYMENT_REFUNDED = 'payment_refunded';

/** How many of a user's emails `listMessagesForUser` returns, newest first. */
export const MESSAGES_LISTED = 100;

/** What this service needs from the user service: the caller declares what it consumes. */
interface UserApi {
  getUser(userId: string): schemas.Recipient;
}

const expected = [exc.BadRequest, exc.NotFound, exc.DeliveryFailed];
const takes = entrypointOptions(exc.BadRequest, expected);
// A failed email is tried again for hours (config eventRetrySchedule, up to eventRetryDeadline),
// its event waiting on the broker, then dead-lettered with the reason: a mail server's outage
// loses nothing. A payload that does not fit (BadRequest) never will: it is dead-lettered at
// once. An unknown recipient (NotFound) is retried, as the user may be on their way (events of
// two services cross). DeliveryUncertain is not among the expected: it needs someone to look,
// so it is logged as an error.
const handlerOptions = { requeueOnError: true, expectedExceptions: expected, permanentErrors: [exc.BadRequest] };

const toMessage = (row: MessageRow): schemas.Message => dump(schemas.Message, row);

@service('messaging')
export class MessagingService {
  db = inject(messagingDatabase()); // also the idempotent consumer: an event's message id is handled once
  messageLog = inject(new MessageLog(this.db));
  mail = inject(new Mail());
  users = inject(new RpcProxy<UserApi>(USER_SERVICE, { errors: userErrors.registry }));
  log = inject(new WorkerLogger());

  @eventHandler(USER_SERVICE, USER_REGISTERED, handlerOptions)
  async sendWelcomeEmail(payload: unknown): Promise<void> {
    const { user } = validate(schemas.UserRegistered, payload, exc.BadRequest);
    const data: templates.WelcomeData = { name: user.name, email: user.email };
    const email = templates.welcome(data);
    await this.send({ kind: 'welcome', sourceKey: user.id, recipient: user, data }, email);
  }

  /** Payment took the money: the payer gets the order's receipt. */
  @eventHandler(PAYMENT_SERVICE, PAYMENT_TAKEN, handlerOptions)
  async sendOrderPaidConfirmationEmail(payload: unknown): Promise<void> {
    const event = validate(schemas.PaymentTaken, payload, exc.BadRequest);
    const payer = await this.recipient(event.paid_by.id, `the receipt of order ${event.order.id}`);
    const data: templates.OrderPaidData = { name: payer.name, ...orderData(event) };
    const email = templates.orderPaidConfirmation(data);
    const about = { sourceKey: event.order.id, orderId: event.order.id, projectId: event.project.id };
    await this.send({ kind: 'order_paid_confirmation', ...about, recipient: payer, data }, email);
  }

  /** Payment gave the money back: the payer is told how much, for what and why. */
  @eventHandler(PAYMENT_SERVICE, PAYMENT_REFUNDED, handlerOptions)
  async sendRefundNoticeEmail(payload: unknown): Promise<void> {
    const event = validate(schemas.PaymentRefunded, payload, exc.BadRequest);
    const payer = await this.recipient(event.paid_by.id, `the refund notice of order ${event.order.id}`);
    const data: templates.RefundData = { name: payer.name, ...orderData(event), reason: event.reason };
    const email = templates.refundNotice(data);
    const about = { sourceKey: event.order.id, orderId: event.order.id, projectId: event.project.id };
    await this.send({ kind: 'refund_notice', ...about, recipient: payer, data }, email);
  }

  /** Someone was added to a project: they are told who added them, and where. */
  @eventHandler(PROJECT_SERVICE, MEMBER_ADDED, handlerOptions)
  async sendInvitationEmail(payload: unknown): Promise<void> {
    const event = validate(schemas.MemberAdded, payload, exc.BadRequest);
    const member = await this.recipient(event.member.id, `the invitation to project ${event.project.id}`);
    const inviter = await this.findUser(event.added_by.id); // the email can do without the inviter's name
    const project = { id: event.project.id, name: event.project.name };
    const data: templates.InvitationData = { name: member.name, project, invitedBy: inviter?.name ?? null };
    const email = templates.invitation(data);
    const sourceKey = `${event.project.id}:${event.member.id}`;
    await this.send({ kind: 'invitation', sourceKey, projectId: event.project.id, recipient: member, data }, email);
  }

  /**
   * Sends the order's payment confirmation again, as first sent, to the address it went to; for
   * support, when a customer says it never arrived. NotFound when none was ever recorded.
   */
  @rpc({ ...takes(schemas.ResendOrderReceipt), idempotent: true, allow: ALLOW.resendOrderReceipt })
  async resendOrderReceipt(orderId: string, requestedBy: string): Promise<schemas.Message> {
    let receipt: MessageRow;
    try {
      receipt = await this.db.messages.getOrderReceipt(orderId);
    } catch (error) {
      if (error instanceof this.db.NotFound) throw new exc.NotFound(`no receipt was ever sent for order ${orderId}`);
      throw error;
    }
    const email = templates.orderPaidConfirmation(receipt.data as unknown as templates.OrderPaidData);
    const draft: Omit<Draft, 'subject'> = {
      kind: 'order_paid_confirmation',
      sourceKey: null,
      recipient: { id: receipt.recipient_id, email: receipt.recipient_email },
      orderId,
      projectId: receipt.project_id ?? undefined,
      data: receipt.data,
      resentOf: receipt.id,
      requestedBy,
    };
    return toMessage((await this.send(draft, email))!); // a resend has no source key: it is always sent
  }

  /** What was sent to the user (the latest MESSAGES_LISTED), newest first, without bodies. */
  @rpc({ ...takes(schemas.ListMessagesForUser), allow: ALLOW.listMessagesForUser })
  async listMessagesForUser(userId: string): Promise<schemas.Message[]> {
    return (await this.db.messages.listForRecipient(userId, MESSAGES_LISTED)).map(toMessage);
  }

  /** The user an email goes to; NotFound (the event is dead-lettered) when the user service knows no such user. */
  private async recipient(userId: string, what: string): Promise<schemas.Recipient> {
    const user = await this.findUser(userId);
    if (!user) throw new exc.NotFound(`no user ${userId} to send ${what} to`);
    return user;
  }

  private async findUser(userId: string): Promise<schemas.Recipient | undefined> {
    try {
      return dump(schemas.Recipient, await this.users.getUser(userId));
    } catch (error) {
      if (error instanceof userErrors.NotFound) return undefined;
      throw error;
    }
  }

  /**
   * At most one email per record: reserve it (committed), hand it to the mail server, then mark
   * it sent, or failed and raise, so that the event is tried again later. Returns the record, or
   * nothing when the email was sent already or is another event's to send.
   */
  private async send(draft: Omit<Draft, 'subject'>, email: templates.Email): Promise<MessageRow | undefined> {
    const { id, decision } = await this.messageLog.reserve({ ...draft, subject: email.subject });
    const about = { messageId: id, kind: draft.kind, sourceKey: draft.sourceKey };
    if (decision === 'already_sent') {
      this.log.info(about, 'email sent already: not sent again');
      return undefined;
    }
    if (decision === 'elsewhere') {
      this.log.warn(about, 'email being sent for another event: left to it');
      return undefined;
    }
    if (decision === 'uncertain') {
      throw new exc.DeliveryUncertain(
        `email ${id} (${draft.kind} ${draft.sourceKey}) was being sent when an earlier attempt stopped: it may have left, so it is not sent again`,
      );
    }
    let sent;
    try {
      sent = await this.mail.send({ id, to: draft.recipient.email, ...email });
    } catch (error) {
      if (!(error instanceof this.mail.DeliveryFailed)) throw error; // it may have left: the record stays `sending`
      await this.messageLog.markFailed(id, error.message);
      throw new exc.DeliveryFailed(error.message);
    }
    return this.messageLog.markSent(id, sent.messageId);
  }
}

/** What an order's emails show, from payment's event. */
function orderData(event: Pick<schemas.PaymentTaken, 'order' | 'project' | 'transaction' | 'amount' | 'currency'>): Omit<templates.OrderPaidData, 'name'> {
  return {
    order: { id: event.order.id, description: event.order.description },
    project: { id: event.project.id, name: event.project.name },
    transaction: { id: event.transaction.id },
    amount: event.amount,
    currency: event.currency,
  };
}
