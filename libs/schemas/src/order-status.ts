// The statuses an order can be in, as the project service keeps them and every facade shows them:
// one list, so that a facade's response schema takes every status the service can send.

export const ORDER_STATUSES = ['awaiting_payment', 'paid', 'refunded', 'cancelling', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
