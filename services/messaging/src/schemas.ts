// The messaging service's contract with the rest of the platform: what its endpoints accept and
// return, and what it reads from other services' events and replies. Those are read tolerantly
// (looseObject): only the fields used here are checked, others may come and go. Replies are
// dumped through these, so an email's body, its stored data and any failure detail never leave.
import { z } from '@platform/schemas';
import { KINDS, STATUSES } from './states';

// ICU's list of ISO 4217 codes, all upper case, as the project service accepts them.
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const id = z.uuid();
const ref = z.looseObject({ id });
const externalId = z.union([z.string().min(1).max(255), z.number().int()]); // payment's own ids, whatever their shape
const name = z.string().trim().min(1).max(200);
const amount = z.number().int().positive(); // minor units
const currency = z.string().refine((code) => CURRENCIES.has(code), 'must be an ISO 4217 currency code in upper case, e.g. EUR');
const timestamp = z.coerce.date().transform((at) => at.toISOString());

// Arguments, one schema per endpoint.
export const ResendOrderReceipt = z.object({ orderId: id, requestedBy: id }).strict();
export const ListMessagesForUser = z.object({ userId: id }).strict();

// A user, as the user service's `getUser` returns it and `user_registered` carries it.
export const Recipient = z.looseObject({ id, email: z.email().max(254), name: z.string().min(1).max(200) });
export type Recipient = z.output<typeof Recipient>;

// Events consumed.
const project = z.looseObject({ id, name });
const order = z.looseObject({ id, description: z.string().trim().min(1).max(500), amount, currency });
const transaction = z.looseObject({ id: externalId });

export const UserRegistered = z.looseObject({ user: Recipient });
export const MemberAdded = z.looseObject({ project, member: ref, added_by: ref });
export const PaymentTaken = z.looseObject({ transaction, order, project, paid_by: ref, amount, currency });
export type PaymentTaken = z.output<typeof PaymentTaken>;
export const PaymentRefunded = z.looseObject({ transaction, order, project, paid_by: ref, reason: z.string().trim().min(1).max(500), amount, currency });

// Replies: what support sees of an email, without its body.
export const Message = z.object({
  id: z.string(),
  kind: z.enum(KINDS),
  recipient_id: z.string(),
  recipient_email: z.string(),
  subject: z.string(),
  order_id: z.string().nullable(),
  project_id: z.string().nullable(),
  status: z.enum(STATUSES),
  smtp_message_id: z.string().nullable(),
  attempts: z.number(),
  resent_of: z.string().nullable(),
  requested_by: z.string().nullable(),
  created_at: timestamp,
  sent_at: timestamp.nullable(),
});
export type Message = z.output<typeof Message>;
export const Messages = z.array(Message);
