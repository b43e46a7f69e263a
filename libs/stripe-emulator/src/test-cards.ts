// Stripe's test payment methods, by their real names: what card each stands for and what
// happens when it is charged. https://docs.stripe.com/testing#cards

export type CardOutcome =
  | { kind: 'succeeds' }
  | { kind: 'declined'; code: string; declineCode: string; message: string }
  /** 3-D Secure: the intent waits (`requires_action`) until the customer authenticates. */
  | { kind: 'authentication_required' };

export interface TestCard {
  brand: string;
  last4: string;
  outcome: CardOutcome;
}

const succeeds: CardOutcome = { kind: 'succeeds' };
const declined = (declineCode: string, message: string): CardOutcome => ({ kind: 'declined', code: 'card_declined', declineCode, message });
const genericDecline = declined('generic_decline', 'Your card was declined.');
const insufficientFunds = declined('insufficient_funds', 'Your card has insufficient funds.');

export const TEST_CARDS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: 'visa', last4: '4242', outcome: succeeds },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444', outcome: succeeds },
  pm_card_amex: { brand: 'amex', last4: '8431', outcome: succeeds },
  pm_card_chargeDeclined: { brand: 'visa', last4: '0002', outcome: genericDecline },
  pm_card_visa_chargeDeclined: { brand: 'visa', last4: '0002', outcome: genericDecline },
  pm_card_chargeDeclinedInsufficientFunds: { brand: 'visa', last4: '9995', outcome: insufficientFunds },
  pm_card_visa_chargeDeclinedInsufficientFunds: { brand: 'visa', last4: '9995', outcome: insufficientFunds },
  pm_card_visa_chargeDeclinedLostCard: { brand: 'visa', last4: '9987', outcome: declined('lost_card', 'Your card was declined.') },
  pm_card_authenticationRequired: { brand: 'visa', last4: '3184', outcome: { kind: 'authentication_required' } },
};

/** Off session nobody can authenticate: Stripe declines such a card instead of waiting. */
export const OFF_SESSION_AUTHENTICATION: CardOutcome = {
  kind: 'declined',
  code: 'authentication_required',
  declineCode: 'authentication_required',
  message: 'Your card was declined. This transaction requires authentication.',
};
