// The project service's process is killed (`kill -9`) while orders are on their way to it, and a
// new one takes its place: clients that retry each request with its Idempotency-Key get their
// order in the end, and no request places two, whatever the killed process had done of it.
import { randomUUID } from 'node:crypto';
import { eventually, testBrokerUri } from '@platform/shimeji/testing';
import { type Attempt, type FaultyPlatform, sendUntilAnswered, signUp, startFaultyPlatform } from './faulty-platform';
import { serviceProcesses } from './service-processes';

const REQUESTS = 20;
/** Requests start this far apart, so that the kill finds some answered and some on their way. */
const SPREAD_MS = 50;
/** A client gives up on a request after this long: a new process (tsx compiling it) may take a while on a loaded machine. */
const PATIENCE_MS = 60_000;

describe('orders sent while the project service’s process is killed and started again', () => {
  let platform: FaultyPlatform;
  const processes = serviceProcesses();
  /** The project service alone, as its own process, on the test's broker and the platform's project database. */
  const startProjectProcess = () => processes.start('project', { PROJECT_DATABASE_URL: platform.databaseUrls.project });

  beforeAll(async () => {
    platform = await startFaultyPlatform({ brokerUri: testBrokerUri(), inProcess: ['user', 'payment', 'messaging'] });
  }, 120_000);
  afterAll(async () => {
    await processes.stopAll();
    await platform?.stop();
  }, 60_000);

  it('places exactly one order per request and answers each 201 in the end', async () => {
    const { webUrl } = platform;
    const first = startProjectProcess();
    const customer = await signUp(webUrl);
    const setup: Attempt[] = [];
    // Answered once the first process serves: until then the facade's call waits and times out (504).
    const project = await sendUntilAnswered(`${webUrl}/projects`, { method: 'POST', token: customer.token, key: randomUUID(), json: { name: 'Killed' } }, setup, PATIENCE_MS);
    expect(project.status).toBe(201);
    const projectId = project.body.id as string;

    const attempts: Attempt[] = [];
    const requests = Array.from({ length: REQUESTS }, (_, i) => ({ description: `order ${i} before and after the kill`, key: randomUUID() }));
    let answered = 0;
    const outcomes = Promise.all(
      requests.map(async (request, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * SPREAD_MS));
        const placed = await sendUntilAnswered(
          `${webUrl}/projects/${projectId}/orders`,
          { method: 'POST', token: customer.token, key: request.key, json: { description: request.description, amount: 500 + i, currency: 'EUR' } },
          attempts,
          PATIENCE_MS,
        );
        answered++;
        return placed;
      }),
    );

    // The kill comes once the process has placed an order of the burst: it is busy with it.
    await eventually('an order of the burst to be placed', async () => (await platform.db('project')('orders').where({ project_id: projectId }).first()) ?? undefined, 30_000);
    first.child.kill('SIGKILL');
    await first.exited;
    const answeredBeforeKill = answered;
    startProjectProcess();
    const replies = await outcomes;

    // The kill caught requests on their way: otherwise this test would prove nothing.
    expect(answeredBeforeKill).toBeLessThan(REQUESTS);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(replies.map((r) => r.status)).toEqual(requests.map(() => 201));
    const orders: { id: string; description: string }[] = await platform.db('project')('orders').where({ project_id: projectId });
    const perDescription = new Map<string, number>();
    for (const order of orders) perDescription.set(order.description, (perDescription.get(order.description) ?? 0) + 1);
    expect(Object.fromEntries(perDescription)).toEqual(Object.fromEntries(requests.map((r) => [r.description, 1])));
    // Each request's answer names the order it placed, however many attempts it took.
    expect(new Set(replies.map((r) => r.body.id))).toEqual(new Set(orders.map((o) => o.id)));
  }, 120_000);
});
