// Refunds of a payment intent's (or a charge's) successful charge: in full by default, or part
// of what is left; a charge refunded in full cannot be refunded again.
import { errors } from '../errors';
import { hash, integer, text } from '../params';
import type { Route } from '../routes';
import { type Charge, newId, now, type Refund, snapshot, type StripeState } from '../state';
import { findIntent } from './payment-intents';

const REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];

function chargeToRefund(state: StripeState, intentId: string | undefined, chargeId: string | undefined): Charge {
  if (chargeId) {
    const charge = state.charges.get(chargeId);
    if (!charge) throw errors.noSuchParameter('charge', chargeId, 'charge');
    return charge;
  }
  if (!intentId) throw errors.missingParameter('payment_intent');
  const intent = findIntent(state, intentId, 'payment_intent');
  if (intent.status !== 'succeeded' || !intent.latest_charge) {
    throw errors.intentUnexpectedState(`This PaymentIntent (${intent.id}) does not have a successful charge to refund.`);
  }
  return state.charges.get(intent.latest_charge)!;
}

export const refundRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/refunds',
    params: ['payment_intent', 'charge', 'amount', 'reason', 'metadata'],
    handle(state, { params }) {
      const charge = chargeToRefund(state, text(params, 'payment_intent'), text(params, 'charge'));
      const left = charge.amount - charge.amount_refunded;
      if (left === 0) throw errors.chargeAlreadyRefunded(charge.id);
      const amount = integer(params, 'amount') ?? left;
      if (amount < 1) throw errors.invalidParameter('amount', 'This value must be greater than or equal to 1.');
      if (amount > left) throw errors.refundTooLarge(amount, left);
      const reason = text(params, 'reason') || null;
      if (reason !== null && !REASONS.includes(reason)) throw errors.invalidParameter('reason', `Invalid reason: must be one of ${REASONS.join(', ')}`);
      const refund: Refund = {
        id: newId('re'),
        object: 'refund',
        amount,
        charge: charge.id,
        currency: charge.currency,
        payment_intent: charge.payment_intent,
        reason,
        status: 'succeeded',
        metadata: hash(params, 'metadata'),
        created: now(),
      };
      state.refunds.set(refund.id, refund);
      charge.amount_refunded += amount;
      charge.refunded = charge.amount_refunded === charge.amount;
      return snapshot(refund);
    },
  },
];
