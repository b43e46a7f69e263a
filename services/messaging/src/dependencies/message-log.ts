// The record of each email, written around its sending: `reserve` commits a row before the email
// leaves, `markSent` / `markFailed` commit what happened right after. These writes do not wait for
// the worker's transaction: an email could otherwise leave and then lose its record to a failed
// commit, and be sent again by the event's retry. Reserving first keeps it to at most one email
// per record (see `decide` in states.ts for what a second event about the same email does).
//
// On PostgreSQL the log has a pool of its own, so a worker holding its transaction (the idempotent
// consumer's) never waits for a connection its siblings hold. Embedded PGlite has one connection:
// there the log writes in the worker's transaction, and commits with it.
import { randomUUID } from 'node:crypto';
import { createKnex, Database, type UnitOfWork } from '@platform/db';
import { DependencyProvider, type WorkerContext } from '@platform/shimeji';
import { decide, type Decision, type Kind } from '../states';
import type { MessageRow } from './db';

type Knex = Database<any>['knex'];
type Transaction = Awaited<ReturnType<UnitOfWork['transaction']>>;
type InTransaction = <T>(work: (trx: Transaction) => Promise<T>) => Promise<T>;

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

export class MessageLogWriter {
  constructor(
    private readonly inTransaction: InTransaction,
    /** The message id of the event the worker handles, if any. */
    private readonly eventId: string | null,
  ) {}

  /** Records the email as being sent, unless a record of it exists: then `decide` says what to do with that one. */
  async reserve(draft: Draft): Promise<Reservation> {
    return this.inTransaction(async (trx) => {
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
        event_id: this.eventId,
        attempts: 1,
        resent_of: draft.resentOf ?? null,
        requested_by: draft.requestedBy ?? null,
      };
      const inserted = await trx('messages').insert(row).onConflict(['kind', 'source_key']).ignore().returning('id');
      if (inserted.length > 0) return { id: row.id, decision: 'send' };
      const existing = (await trx('messages').where({ kind: draft.kind, source_key: draft.sourceKey }).forUpdate().first()) as MessageRow;
      const decision = decide(existing, this.eventId);
      if (decision === 'send') {
        await trx('messages')
          .where({ id: existing.id })
          .update({ status: 'sending', event_id: this.eventId, attempts: existing.attempts + 1, updated_at: new Date() });
      }
      return { id: existing.id, decision };
    });
  }

  async markSent(id: string, smtpMessageId: string): Promise<MessageRow> {
    return this.inTransaction(async (trx) => {
      const changes = { status: 'sent', smtp_message_id: smtpMessageId, error: null, sent_at: new Date(), updated_at: new Date() };
      const [row] = await trx('messages').where({ id }).update(changes).returning('*');
      return row as MessageRow;
    });
  }

  async markFailed(id: string, reason: string): Promise<void> {
    await this.inTransaction(async (trx) => {
      await trx('messages').where({ id }).update({ status: 'failed', error: reason.slice(0, 2000), updated_at: new Date() });
    });
  }
}

/** `messageLog = inject(new MessageLog())`, declared after the Database it writes to. */
export class MessageLog extends DependencyProvider<MessageLogWriter> {
  private database!: Database<any>;
  private pool?: Knex;

  override async start(): Promise<void> {
    const found = [...this.container.dependencies.values()].find((d): d is Database<any> => d instanceof Database);
    if (!found) throw new Error(`${this.container.serviceName}: MessageLog needs the Database dependency`);
    this.database = found;
    if (found.location.url) {
      this.pool = createKnex({ url: found.location.url });
    } else {
      this.container.logger.warn('embedded database: an email’s record commits with its worker; a failed commit after sending could send it twice');
    }
  }

  override async stop(): Promise<void> {
    await this.pool?.destroy();
  }

  override async kill(): Promise<void> {
    await this.pool?.destroy().catch(() => undefined);
  }

  getDependency(workerCtx: WorkerContext): MessageLogWriter {
    const pool = this.pool;
    const inTransaction: InTransaction = pool
      ? (work) => pool.transaction(work)
      : async (work) => work(await this.database.unitOfWork(workerCtx).transaction());
    return new MessageLogWriter(inTransaction, workerCtx.message?.id ?? null);
  }
}
