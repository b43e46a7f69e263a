// The record of each email, written around its sending: `reserve` commits a row before the email
// leaves, `markSent` / `markFailed` commit what happened right after. These writes do not wait for
// the worker's transaction: an email could otherwise leave and then lose its record to a failed
// commit, and be sent again by the event's retry. Reserving first keeps it to at most one email
// per record (see `decide` in states.ts for what a second event about the same email does).
//
// The writes commit separately from the worker's transaction (libs/db's `separately`: on
// PostgreSQL a pool of its own, so a worker holding its transaction, the idempotent consumer's,
// never waits for a connection its siblings hold; on embedded PGlite, with one connection, in the
// worker's transaction once it has begun).
import { randomUUID } from 'node:crypto';
import { Collection, Database } from '@platform/db';
import { DependencyProvider, type WorkerContext } from '@platform/shimeji';
import { decide, type Decision, type Kind } from '../states';
import type { MessageRow, messagingCollections } from './db';

export interface Draft {
  kind: Kind;
  /** What the email is about, once (the order, the user…); null for an email that may be sent any number of times. */
  sourceKey: string | null;
  recipient: { id: string; email: string };
  subject: string;
  orderId?: string;
  projectId?: string;
  /** What its template was given: enough to render it again. */
  data: object;
  resentOf?: string;
  requestedBy?: string;
}

/** The record to send the email as (`decision: 'send'`), or the one that says why not. */
export interface Reservation {
  id: string;
  decision: Decision;
}

/** What a worker writes to the log; each write is committed when it returns. */
export interface MessageLogWriter {
  /** Records the email as being sent, unless a record of it exists: then `decide` says what to do with that one. */
  reserve(draft: Draft): Promise<Reservation>;
  markSent(id: string, smtpMessageId: string): Promise<MessageRow>;
  markFailed(id: string, reason: string): Promise<void>;
}

/** The log's writes, as a collection; `eventId` is the message id of the event the worker handles, if any. */
export class MessageRecords extends Collection {
  async reserve(draft: Draft, eventId: string | null): Promise<Reservation> {
    const trx = await this.trx();
    const row = {
      id: randomUUID(),
      kind: draft.kind,
      source_key: draft.sourceKey,
      recipient_id: draft.recipient.id,
      recipient_email: draft.recipient.email,
      subject: draft.subject,
      order_id: draft.orderId ?? null,
      project_id: draft.projectId ?? null,
      data: JSON.stringify(draft.data),
      status: 'sending',
      event_id: eventId,
      attempts: 1,
      resent_of: draft.resentOf ?? null,
      requested_by: draft.requestedBy ?? null,
    };
    const inserted = await trx('messages').insert(row).onConflict(['kind', 'source_key']).ignore().returning('id');
    if (inserted.length > 0) return { id: row.id, decision: 'send' };
    const existing = (await trx('messages').where({ kind: draft.kind, source_key: draft.sourceKey }).forUpdate().first()) as MessageRow;
    const decision = decide(existing, eventId);
    if (decision === 'send') {
      await trx('messages')
        .where({ id: existing.id })
        .update({ status: 'sending', event_id: eventId, attempts: existing.attempts + 1, updated_at: new Date() });
    }
    return { id: existing.id, decision };
  }

  async markSent(id: string, smtpMessageId: string): Promise<MessageRow> {
    const trx = await this.trx();
    const changes = { status: 'sent', smtp_message_id: smtpMessageId, error: null, sent_at: new Date(), updated_at: new Date() };
    const [row] = await trx('messages').where({ id }).update(changes).returning('*');
    return row as MessageRow;
  }

  async markFailed(id: string, reason: string): Promise<void> {
    const trx = await this.trx();
    await trx('messages').where({ id }).update({ status: 'failed', error: reason.slice(0, 2000), updated_at: new Date() });
  }
}

/** `messageLog = inject(new MessageLog(this.db))`, declared after the Database it writes to. */
export class MessageLog extends DependencyProvider<MessageLogWriter> {
  private readonly database: Database<typeof messagingCollections>;

  constructor(db: unknown) {
    super();
    this.database = Database.of(db, 'MessageLog');
  }

  getDependency(workerCtx: WorkerContext): MessageLogWriter {
    const { separately } = this.database.getDependency(workerCtx);
    const eventId = workerCtx.message?.id ?? null;
    return {
      reserve: (draft) => separately((db) => db.records.reserve(draft, eventId)),
      markSent: (id, smtpMessageId) => separately((db) => db.records.markSent(id, smtpMessageId)),
      markFailed: (id, reason) => separately((db) => db.records.markFailed(id, reason)),
    };
  }
}
