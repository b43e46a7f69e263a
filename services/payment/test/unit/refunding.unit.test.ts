// Refunding a paid transaction (refunding.ts): once at Stripe, recorded and announced once.
import * as exc from '../../src/exceptions';
import { refund } from '../../src/refunding';
import { settle } from '../../src/settlement';
import { stepsWorld } from './steps';

async function paidWorld() {
  const world = await stepsWorld();
  const paid = await settle(world, await world.attemptUnderWay());
  world.dispatched.length = 0;
  return { ...world, paid };
}

describe('refunding a paid transaction', () => {
  it('refunds at Stripe under the refund key, records who asked and why, and announces it', async () => {
    const world = await paidWorld();
    const refunded = await refund(world, world.paid, { reason: 'damaged', actorId: 'agent-1' });
    expect(refunded).toMatchObject({ id: world.paid.id, state: 'refunded' });
    expect(world.stripe.refunds).toEqual([{ key: `refund_${world.paid.id}`, intent: world.paid.payment_intent_id }]);
    expect(world.store.refunds).toEqual([
      expect.objectContaining({ transaction_id: world.paid.id, stripe_refund_id: `re_refund_${world.paid.id}`, amount: 1500, currency: 'EUR', reason: 'damaged', actor_id: 'agent-1' }),
    ]);
    expect(world.events('payment_refunded')).toEqual([expect.objectContaining({ actor: { id: 'agent-1' }, reason: 'damaged', amount: 1500 })]);
  });

  it('returns a concurrent call’s refund rather than recording or announcing a second', async () => {
    const world = await paidWorld();
    const first = await refund(world, world.paid, { reason: 'damaged', actorId: 'agent-1' });
    world.dispatched.length = 0;
    await expect(refund(world, world.paid, { reason: 'again', actorId: 'agent-2' })).resolves.toEqual(first);
    expect(world.store.refunds).toHaveLength(1);
    expect(world.stripe.refunds).toHaveLength(1);
    expect(world.dispatched).toEqual([]);
  });

  it('says ConcurrentChange when the transaction changed otherwise meanwhile, recording nothing', async () => {
    const world = await paidWorld();
    await world.db.transactions.recordOutcome(world.paid, { payment_intent_id: world.paid.payment_intent_id });
    await expect(refund(world, world.paid, { reason: 'damaged', actorId: 'agent-1' })).rejects.toEqual(
      new exc.ConcurrentChange(`order ${world.paid.order_id} changed meanwhile; read it again`),
    );
    expect(world.store.refunds).toEqual([]);
    expect(world.dispatched).toEqual([]);
  });
});
