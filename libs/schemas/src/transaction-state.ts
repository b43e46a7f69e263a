// The states an order's payment (a transaction) can be in, as the payment service keeps them and
// every facade shows them: one list, so that a facade's response schema takes every state the
// service can send.

export const TRANSACTION_STATES = ['awaiting_payment', 'processing', 'paid', 'failed', 'refunded', 'cancelled'] as const;
export type TransactionState = (typeof TRANSACTION_STATES)[number];
