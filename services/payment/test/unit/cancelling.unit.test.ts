// An order's cancellation closing its transaction (cancelling.ts): no money is kept, however the
// cancellation and a payment interleave.
import { CANCELLED_ORDER_REFUND, closeForCancelledOrder } from '../../src/cancelling';
import { settle } from '../../src/settlement';
import { stepsWorld } from './steps';

const by = { actorId: 'member-1', reason: null };

describe('closing the transaction of a cancelled order', () => {
  it('closes a transaction nothing was paid on, without calling Stripe', async () => {
    const world = await stepsWorld();
    await expect(closeForCancelledOrder(world, world.opened.order_id, by)).resolves.toMatchObject({ state: 'cancelled' });
    expect(world.stripe.calls).toEqual([]);
    expect(world.dispatched).toEqual([]);
  });

  it('refunds a paid one in full, once, with the cancellation’s reason or its own', async () => {
    const world = await stepsWorld();
    await settle(world, await world.attemptUnderWay());
    const refunded = await closeForCancelledOrder(world, world.opened.order_id, by);
    expect(refunded).toMatchObject({ state: 'refunded' });
    expect(world.stripe.refunds).toHaveLength(1);
    expect(world.store.refunds).toEqual([expect.objectContaining({ reason: CANCELLED_ORDER_REFUND, actor_id: 'member-1', amount: 1500 })]);
    await expect(closeForCancelledOrder(world, world.opened.order_id, { actorId: 'admin-1', reason: 'duplicate' })).resolves.toEqual(refunded);
    expect(world.stripe.refunds).toHaveLength(1);
    expect(world.events('payment_refunded')).toHaveLength(1);
  });

  it('settles an attempt under way first, under its own key, and refunds it if it went through', async () => {
    const world = await stepsWorld();
    await world.attemptUnderWay();
    const closed = await closeForCancelledOrder(world, world.opened.order_id, by);
    expect(closed).toMatchObject({ state: 'refunded' });
    expect(world.stripe.calls.filter((call) => call === 'charge')).toHaveLength(1);
    expect(world.stripe.refunds).toHaveLength(1);
    expect(world.events('payment_taken')).toHaveLength(1);
  });

  it('closes an attempt under way that Stripe declines, refunding nothing', async () => {
    const world = await stepsWorld('pm_card_chargeDeclined');
    await world.attemptUnderWay();
    await expect(closeForCancelledOrder(world, world.opened.order_id, by)).resolves.toMatchObject({ state: 'cancelled', failure_reason: 'generic_decline' });
    expect(world.stripe.refunds).toEqual([]);
  });

  it('reads again when a payment moved the transaction meanwhile, and refunds what it paid', async () => {
    const world = await stepsWorld();
    const markCancelled = world.db.transactions.markCancelled.bind(world.db.transactions);
    world.db.transactions.markCancelled = async (t) => {
      await settle(world, await world.attemptUnderWay(t)); // a payment wins the race ...
      return markCancelled(t); // ... so this version is stale
    };
    await expect(closeForCancelledOrder(world, world.opened.order_id, by)).resolves.toMatchObject({ state: 'refunded' });
    expect(world.stripe.refunds).toHaveLength(1);
  });

  it('gives up a payment awaiting 3-D Secure, its intent cancelled at Stripe, and closes the transaction', async () => {
    const world = await stepsWorld('pm_card_authenticationRequired');
    await settle(world, await world.attemptUnderWay());
    const closed = await closeForCancelledOrder(world, world.opened.order_id, by);
    expect(closed).toMatchObject({ state: 'cancelled', failure_reason: 'order_cancelled' });
    expect(world.stripe.calls).toContain('cancel');
    expect(world.stripe.refunds).toEqual([]);
    expect(world.events('payment_failed')).toEqual([expect.objectContaining({ reason: 'order_cancelled' })]);
  });
});
