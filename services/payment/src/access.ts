// Who may call each of the payment service's methods (checked by shimeji before a worker runs).
// A customer acts only in their own name; staff read; only admins move money back.
import type { AllowRule } from '@platform/shimeji';
import { ROLE, STAFF } from '@platform/schemas';

const READERS = [...STAFF, ROLE.service];

export const ALLOW = {
  listPaymentMethods: { roles: STAFF, self: 'userId' },
  addPaymentMethod: { roles: [ROLE.customer], actor: 'userId' },
  // An admin may pay with a customer's card; anyone else only with their own.
  payOrder: { roles: [ROLE.admin], self: 'paidBy' },
  // Only the payer confirms or abandons their own payment's authentication (an admin in their name).
  confirmPaymentIntent: { roles: [ROLE.admin], self: 'paidBy' },
  abandonPayment: { roles: [ROLE.admin], self: 'paidBy' },
  getTransactionByOrder: READERS,
  getTransactionsById: READERS,
  getTransactionsByOrderId: READERS,
  // An admin in their own name; the project service when its saga cancels a paid order.
  refundPayment: { roles: [ROLE.admin, ROLE.service], actor: 'actorId' },
} satisfies Record<string, AllowRule>;
