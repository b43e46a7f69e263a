// The kinds of email this service sends, the life of each one's record, and what an event may do
// when the email it asks for has a record already: every decision about sending twice is here.

export const KINDS = ['welcome', 'order_paid_confirmation', 'refund_notice', 'invitation'] as const;
export type Kind = (typeof KINDS)[number];

/**
 * `sending`: reserved, handed to the mail server (or about to be); `sent`: the server took it;
 * `failed`: the server refused it or could not be reached, so it did not leave and may be tried again.
 */
export const STATUSES = ['sending', 'sent', 'failed'] as const;
export type Status = (typeof STATUSES)[number];

/** What an event does about an email that has a record already (same kind, same source key). */
export type Decision =
  /** It failed before it left: this event takes it over and sends it. */
  | 'send'
  /** It left already: nothing to do. */
  | 'already_sent'
  /** Another event is sending it, or stopped while it did: that event's own retries see to it. */
  | 'elsewhere'
  /** This very event was sending it when it stopped: it may have left, so it is not sent again. */
  | 'uncertain';

export function decide(existing: { status: Status; event_id: string | null }, eventId: string | null): Decision {
  if (existing.status === 'failed') return 'send';
  if (existing.status === 'sent') return 'already_sent';
  return eventId !== null && existing.event_id === eventId ? 'uncertain' : 'elsewhere';
}
