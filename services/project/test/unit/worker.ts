// A project service worker on fake storage, with its dispatched events and log at hand.
import { randomUUID } from 'node:crypto';
import { createFake, workerFactory } from '@platform/shimeji/testing';
import { ProjectService } from '../../src/service';
import { fakeDb, FakeStore } from './fake-db';

export const OWNER = randomUUID();
export const MEMBER = randomUUID();
export const STRANGER = randomUUID();

export function projectWorker(store = new FakeStore()) {
  const db = fakeDb(store);
  const dispatch = createFake('dispatch');
  const log = createFake('log');
  const service = workerFactory(ProjectService, { db, dispatch, log });
  /** The payloads of the events of one type, in the order dispatched. */
  const events = (type: string) => dispatch.calls.filter(([t]) => t === type).map(([, payload]) => payload);
  return { service, db, dispatch, log, store, events };
}

/** A project of OWNER with MEMBER in it, and an order MEMBER placed against it. */
export async function projectWithOrder(amount = 1500) {
  const world = projectWorker();
  const project = await world.service.createProject(OWNER, 'Garden', 'A shared garden');
  await world.service.addMember(project.id, MEMBER, OWNER);
  const order = await world.service.placeOrder(project.id, MEMBER, 'Seeds', amount, 'EUR');
  world.dispatch.calls.length = 0;
  return { ...world, project, order };
}

/** What payment dispatches when it took the money for `order`. */
export const paymentTaken = (order: { id: string; project_id: string }, overrides: Record<string, unknown> = {}) => ({
  order: { id: order.id },
  payment_method: { id: 'pm_1' },
  project: { id: order.project_id },
  paid_by: { id: MEMBER },
  ...overrides,
});

/** The error a call failed with; fails the test if it succeeded. */
export async function failure(call: Promise<unknown>): Promise<Error & { details?: { field: string }[] }> {
  const outcome = await call.then(
    () => undefined,
    (error: Error) => error,
  );
  if (!outcome) throw new Error('expected the call to fail, it succeeded');
  return outcome;
}
