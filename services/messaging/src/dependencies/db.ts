// The messaging service's storage: the log of the emails it sent, read here in the worker's
// transaction. Its writes, which must commit around the sending itself, are message-log.ts’s.
import { Collection, Database, NotFound } from '@platform/db';
import { migrations } from '../migrations';
import { MessageRecords } from './message-log';
import type { Kind, Status } from '../states';

export interface MessageRow {
  id: string;
  kind: Kind;
  source_key: string | null;
  recipient_id: string;
  recipient_email: string;
  subject: string;
  order_id: string | null;
  project_id: string | null;
  data: Record<string, unknown>;
  status: Status;
  event_id: string | null;
  attempts: number;
  smtp_message_id: string | null;
  error: string | null;
  resent_of: string | null;
  requested_by: string | null;
  created_at: Date;
  updated_at: Date;
  sent_at: Date | null;
}

export class Messages extends Collection {
  /** The order-paid confirmation recorded for the order (not a resend of it); NotFound when there is none. */
  async getOrderReceipt(orderId: string): Promise<MessageRow> {
    const db = await this.reader();
    const row = (await db('messages').where({ kind: 'order_paid_confirmation', source_key: orderId }).first()) as MessageRow | undefined;
    if (!row) throw new NotFound(`no order-paid confirmation for order ${orderId}`);
    return row;
  }

  /** The latest `limit` emails to the user, newest first. */
  async listForRecipient(userId: string, limit: number): Promise<MessageRow[]> {
    const db = await this.reader();
    return (await db('messages')
      .where({ recipient_id: userId })
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id' }])
      .limit(limit)) as MessageRow[];
  }
}

export const messagingCollections = { messages: Messages, records: MessageRecords };

/** At MESSAGING_DATABASE_URL (the default key for a service named `messaging`). */
export const messagingDatabase = () => new Database(messagingCollections, { migrations });
