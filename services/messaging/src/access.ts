// Who may call each of the messaging service's methods (checked by shimeji before a worker runs).
import type { AllowRule } from '@platform/shimeji';
import { STAFF } from '@platform/schemas';

export const ALLOW = {
  resendOrderReceipt: { roles: STAFF, actor: 'requestedBy' },
  listMessagesForUser: { roles: STAFF, self: 'userId' },
} satisfies Record<string, AllowRule>;
