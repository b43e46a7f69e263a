// The values the facades' OpenAPI documents give as examples, the same in every facade, so that
// a reader following one document to another recognises the same user, order and card.
import { z } from 'zod';

export const EXAMPLE = {
  userId: '3f1c9a2e-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
  projectId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
  orderId: 'c4d5e6f7-a8b9-4c0d-9e1f-2a3b4c5d6e7f',
  email: 'ann@example.com',
  timestamp: '2026-01-01T12:00:00.000Z',
  amount: 1500,
  currency: 'EUR',
  /** Stripe's test card that needs no authentication. */
  paymentMethodId: 'pm_card_visa',
  paymentIntentId: 'pi_3QxYzAbCdEfGhIjK',
} as const;

/** A response's timestamp, as the services send them: `what` it is, with the example. */
export const timestampField = (what: string) => z.string().meta({ description: `${what} (ISO 8601, UTC)`, examples: [EXAMPLE.timestamp] });
