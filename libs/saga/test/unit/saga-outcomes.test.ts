// A saga's steps driven by the runner on embedded PGlite, remote steps answered by fakes.
import { RpcTimeout } from '@platform/shimeji';
import { Registry } from 'prom-client';
import { saga, SagaMetrics } from '../../src';
import type { Knex } from 'knex';
import { type Fakes, runSagaWithFakes as runWith, type RunWithFakesOptions, sagaTestDatabase } from '../../src/testing';

// One embedded database for the file: each saga has its own row.
let knex: Knex;
beforeAll(async () => {
  knex = await sagaTestDatabase();
});
afterAll(() => knex.destroy());

const runSagaWithFakes = (definition: typeof placeOrder, context: Order, fakes: Fakes, options: RunWithFakesOptions = {}) => runWith(definition, context, fakes, { knex, ...options });

interface Order extends Record<string, unknown> {
  orderId: string;
  reservation?: string;
  charge?: string;
}

const placeOrder = saga<Order>('place_order')
  .remoteStep('reserve')
  .onExecute('inventory', 'reserve', (c) => [c.orderId])
  .onSuccess((result: { id: string }) => ({ reservation: result.id }))
  .compensate('inventory', 'release', (c) => [c.reservation])
  .remoteStep('charge')
  .onExecute('payment', 'charge', (c) => [c.orderId, c.reservation])
  .onSuccess((result: { id: string }) => ({ charge: result.id }))
  .compensate('payment', 'refund', (c) => [c.charge])
  .remoteStep('ship')
  .onExecute('shipping', 'ship', (c) => [c.orderId])
  .commit();

const happyFakes = {
  'inventory.reserve': () => ({ id: 'res_1' }),
  'inventory.release': () => null,
  'payment.charge': () => ({ id: 'ch_1' }),
  'payment.refund': () => null,
  'shipping.ship': () => ({ tracking: 'T1' }),
};

class OutOfStock extends Error {
  override name = 'OutOfStock';
}

describe('a saga of three remote steps', () => {
  it('completes, calling each step once in order with the context its earlier steps built', async () => {
    const { saga: state, calls } = await runSagaWithFakes(placeOrder, { orderId: 'o1' }, happyFakes);
    expect(state.status).toBe('completed');
    expect(calls.map((c) => `${c.service}.${c.method}`)).toEqual(['inventory.reserve', 'payment.charge', 'shipping.ship']);
    expect(calls[1]!.args).toEqual(['o1', 'res_1']);
    expect(state.context).toEqual({ orderId: 'o1', reservation: 'res_1', charge: 'ch_1' });
    expect(state.steps.map((s) => [s.step, s.phase, s.status, s.attempts])).toEqual([
      ['reserve', 'execute', 'done', 1],
      ['charge', 'execute', 'done', 1],
      ['ship', 'execute', 'done', 1],
    ]);
    expect(state.finishedAt).not.toBeNull();
  });

  it('calls every step with an idempotency key made of the saga id and the step name', async () => {
    const { saga: state, calls } = await runSagaWithFakes(placeOrder, { orderId: 'o1' }, happyFakes);
    expect(calls.map((c) => c.idempotencyKey)).toEqual([`saga:${state.id}:reserve`, `saga:${state.id}:charge`, `saga:${state.id}:ship`]);
  });

  it('compensates the first two steps in reverse when the third fails', async () => {
    const fakes = { ...happyFakes, 'shipping.ship': () => Promise.reject(new OutOfStock('no courier for o1')) };
    const { saga: state, calls } = await runSagaWithFakes(placeOrder, { orderId: 'o1' }, fakes);
    expect(state.status).toBe('compensated');
    expect(calls.map((c) => `${c.service}.${c.method}`)).toEqual(['inventory.reserve', 'payment.charge', 'shipping.ship', 'payment.refund', 'inventory.release']);
    expect(calls[3]!.args).toEqual(['ch_1']);
    expect(calls[4]!.args).toEqual(['res_1']);
    expect(calls[3]!.idempotencyKey).toBe(`saga:${state.id}:charge:compensate`);
    expect(state.failure).toBe('step ship failed: OutOfStock: no courier for o1');
    expect(state.steps.find((s) => s.step === 'ship')).toMatchObject({ status: 'failed', error: 'OutOfStock: no courier for o1' });
  });

  it('ends stuck, naming the compensation and its error, when a compensation keeps failing', async () => {
    const fakes = {
      ...happyFakes,
      'shipping.ship': () => Promise.reject(new OutOfStock('none left')),
      'payment.refund': () => Promise.reject(new Error('stripe is down')),
    };
    const { saga: state, calls } = await runSagaWithFakes(placeOrder, { orderId: 'o1' }, fakes, { compensationAttempts: 3 });
    expect(state.status).toBe('stuck');
    expect(state.stuckReason).toBe('compensation of charge failed 3 time(s): Error: stripe is down');
    expect(calls.filter((c) => c.method === 'refund')).toHaveLength(3);
    expect(calls.filter((c) => c.method === 'release')).toHaveLength(0);
  });

  it('retries a step that timed out, with the same idempotency key, and completes', async () => {
    let tries = 0;
    const fakes = { ...happyFakes, 'payment.charge': () => (++tries < 3 ? Promise.reject(new RpcTimeout('payment', 'charge', 10)) : { id: 'ch_9' }) };
    const { saga: state, calls } = await runSagaWithFakes(placeOrder, { orderId: 'o1' }, fakes);
    expect(state.status).toBe('completed');
    const charges = calls.filter((c) => c.method === 'charge');
    expect(charges).toHaveLength(3);
    expect(new Set(charges.map((c) => c.idempotencyKey)).size).toBe(1);
    expect(state.steps.find((s) => s.step === 'charge')).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('compensates at once, without retrying, a step that failed for a reason of its own', async () => {
    const fakes = { ...happyFakes, 'payment.charge': () => Promise.reject(new Error('card declined')) };
    const { saga: state, calls } = await runSagaWithFakes(placeOrder, { orderId: 'o1' }, fakes);
    expect(state.status).toBe('compensated');
    expect(calls.map((c) => c.method)).toEqual(['reserve', 'charge', 'release']);
  });

  it('is compensated with nothing to undo when its first step fails', async () => {
    const fakes = { ...happyFakes, 'inventory.reserve': () => Promise.reject(new OutOfStock('none')) };
    const { saga: state, calls } = await runSagaWithFakes(placeOrder, { orderId: 'o1' }, fakes);
    expect(state.status).toBe('compensated');
    expect(calls.map((c) => c.method)).toEqual(['reserve']);
  });

  it('counts each outcome in shimeji_saga_outcomes_total and times its steps', async () => {
    const registry = new Registry();
    const metrics = SagaMetrics.in(registry);
    await runSagaWithFakes(placeOrder, { orderId: 'o1' }, happyFakes, { metrics });
    await runSagaWithFakes(placeOrder, { orderId: 'o2' }, { ...happyFakes, 'shipping.ship': () => Promise.reject(new OutOfStock('x')) }, { metrics });
    const text = await registry.metrics();
    expect(text).toContain('shimeji_saga_outcomes_total{saga="place_order",outcome="completed"} 1');
    expect(text).toContain('shimeji_saga_outcomes_total{saga="place_order",outcome="compensated"} 1');
    expect(text).toMatch(/shimeji_saga_step_duration_seconds_count\{saga="place_order",step="ship",phase="execute",outcome="error"\} 1/);
  });
});
