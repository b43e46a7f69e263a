// Fields every facade shows the same way, described once: a user's account, an order as its
// application reads it, and what a payment charges. A facade adds what only its own users see.
import { z } from 'zod';
import { EXAMPLE, timestampField } from './examples';
import { ORDER_STATUSES } from './order-status';

/** A user's account, as every facade shows it (the role and status, each facade in its own words). */
export const userFields = {
  id: z.string().meta({ description: 'The user’s id', examples: [EXAMPLE.userId] }),
  email: z.string().meta({ description: 'The email the user logs in with', examples: [EXAMPLE.email] }),
  name: z.string().meta({ description: 'How the platform addresses the user', examples: ['Ann Example'] }),
};

/** A project's own fields, as every facade shows them. */
export const projectFields = {
  id: z.string().meta({ description: 'The project’s id', examples: [EXAMPLE.projectId] }),
  name: z.string().meta({ description: 'What the project is called', examples: ['Kitchen'] }),
  description: z.string().nullable().optional().meta({ description: 'What the project is about, if its creator said', examples: ['New tiles and a sink'] }),
  owner_id: z.string().meta({ description: 'The user id of the customer who created it', examples: [EXAMPLE.userId] }),
  created_at: timestampField('When the project was created'),
};

/** An order's fields in every facade's replies. */
export const orderFields = {
  id: z.string().meta({ description: 'The order’s id', examples: [EXAMPLE.orderId] }),
  project_id: z.string().meta({ description: 'The id of the project the order is placed under', examples: [EXAMPLE.projectId] }),
  description: z.string().meta({ description: 'What is ordered', examples: ['Tiles'] }),
  amount: z.number().meta({ description: 'The price in the currency’s minor units (cents; yen for JPY)', examples: [EXAMPLE.amount] }),
  currency: z.string().meta({ description: 'The price’s currency, as an ISO 4217 code', examples: [EXAMPLE.currency] }),
  status: z
    .enum(ORDER_STATUSES)
    .describe('`awaiting_payment` until paid, then `paid`; `cancelled` if cancelled first; `cancelling` then `cancelled` while a paid one is refunded; `refunded`'),
  created_at: timestampField('When the order was placed'),
};

/** What a payment charges, in every facade's replies. */
export const chargeFields = {
  amount: z.number().meta({ description: 'What is charged, in the currency’s minor units', examples: [EXAMPLE.amount] }),
  currency: z.string().meta({ description: 'The charge’s currency, as an ISO 4217 code', examples: [EXAMPLE.currency] }),
};
