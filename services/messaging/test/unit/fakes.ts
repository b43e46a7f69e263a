// In-memory stand-ins for the messaging service's dependencies: the log (with the real rule for a
// second event about the same email, `decide`), a mail server that records what it was handed
// and can be made to refuse, and a user service. Tests look into them to see what happened.
import { randomUUID } from 'node:crypto';
import { NotFound } from '@platform/db';
import { createFake, workerFactory } from '@platform/shimeji/testing';
import type { MessageRow } from '../../src/dependencies/db';
import { DeliveryFailed, type OutgoingEmail } from '../../src/dependencies/mail';
import type { Draft, Reservation } from '../../src/dependencies/message-log';
import * as userErrors from '../../src/remote-errors';
import { MessagingService } from '../../src/service';
import { decide } from '../../src/states';
import type { User } from '../support/users';

export { user } from '../support/users';

// Time moves on by a second per row, so "newest first" is well defined.
let clock = Date.parse('2026-01-01T00:00:00Z');
const now = () => new Date((clock += 1000));

export class FakeMessageLog {
  readonly rows = new Map<string, MessageRow>();
  /** Every call, in order: `reserve`, `markSent`, `markFailed`, interleaved with the mail server's `send`. */
  readonly steps: string[];
  /** The message id of the event the worker is handling. */
  eventId: string | null = randomUUID();

  constructor(steps: string[]) {
    this.steps = steps;
  }

  async reserve(draft: Draft): Promise<Reservation> {
    this.steps.push('reserve');
    const existing = [...this.rows.values()].find((r) => draft.sourceKey !== null && r.kind === draft.kind && r.source_key === draft.sourceKey);
    if (existing) {
      const decision = decide(existing, this.eventId);
      if (decision === 'send') Object.assign(existing, { status: 'sending', event_id: this.eventId, attempts: existing.attempts + 1 });
      return { id: existing.id, decision };
    }
    const at = now();
    const row: MessageRow = {
      id: randomUUID(),
      kind: draft.kind,
      source_key: draft.sourceKey,
      recipient_id: draft.recipient.id,
      recipient_email: draft.recipient.email,
      subject: draft.subject,
      order_id: draft.orderId ?? null,
      project_id: draft.projectId ?? null,
      data: structuredClone(draft.data) as Record<string, unknown>,
      status: 'sending',
      event_id: this.eventId,
      attempts: 1,
      smtp_message_id: null,
      error: null,
      resent_of: draft.resentOf ?? null,
      requested_by: draft.requestedBy ?? null,
      created_at: at,
      updated_at: at,
      sent_at: null,
    };
    this.rows.set(row.id, row);
    return { id: row.id, decision: 'send' };
  }

  async markSent(id: string, smtpMessageId: string): Promise<MessageRow> {
    this.steps.push('markSent');
    const row = this.rows.get(id)!;
    Object.assign(row, { status: 'sent', smtp_message_id: smtpMessageId, error: null, sent_at: now() });
    return { ...row };
  }

  async markFailed(id: string, reason: string): Promise<void> {
    this.steps.push('markFailed');
    Object.assign(this.rows.get(id)!, { status: 'failed', error: reason });
  }
}

export class FakeMail {
  readonly DeliveryFailed = DeliveryFailed;
  readonly sent: OutgoingEmail[] = [];
  /** What the next sends throw, if anything. */
  failWith?: Error;

  constructor(private readonly steps: string[]) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    this.steps.push('send');
    if (this.failWith) throw this.failWith;
    this.sent.push(email);
    return { messageId: `<${email.id}@platform.local>` };
  }
}

/** The user service's getUser, over the users given; unknown ids raise its NotFound, as it travels back. */
export function fakeUsers(...known: User[]) {
  const byId = new Map(known.map((u) => [u.id, u]));
  const getUser = createFake('users.getUser').implement(async (id: unknown) => {
    const found = byId.get(id as string);
    if (!found) throw new userErrors.NotFound(`no user ${String(id)}`);
    return found;
  });
  return { getUser };
}

/** The log's reads, as dependencies/db.ts makes them, over the fake log's rows. */
function fakeDb(log: FakeMessageLog) {
  const messages = {
    async getOrderReceipt(orderId: string): Promise<MessageRow> {
      const row = [...log.rows.values()].find((r) => r.kind === 'order_paid_confirmation' && r.source_key === orderId);
      if (!row) throw new NotFound(`no order-paid confirmation for order ${orderId}`);
      return { ...row };
    },
    async listForRecipient(userId: string, limit: number): Promise<MessageRow[]> {
      return [...log.rows.values()].filter((r) => r.recipient_id === userId).reverse().slice(0, limit);
    },
  };
  return { messages, NotFound };
}

/** A messaging worker on fakes, with the users given known to the user service. */
export function messagingWorker(...known: User[]) {
  const steps: string[] = [];
  const messageLog = new FakeMessageLog(steps);
  const mail = new FakeMail(steps);
  const users = fakeUsers(...known);
  const log = createFake('log');
  const service = workerFactory(MessagingService, { db: fakeDb(messageLog), messageLog, mail, users, log });
  return { service, messageLog, mail, users, log, steps };
}

/** The error a call failed with; fails the test if it succeeded. */
export async function failure(call: Promise<unknown>): Promise<Error & { details?: { field: string }[] }> {
  const outcome = await call.then(
    () => undefined,
    (error: Error) => error,
  );
  if (!outcome) throw new Error('expected the call to fail, it succeeded');
  return outcome;
}
