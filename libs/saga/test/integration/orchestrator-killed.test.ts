// The orchestrating service runs in a process of its own and is killed with SIGKILL while the
// saga's second step is at the other service. Started again, it takes the saga up at that step,
// sends it again under the same idempotency key (the stock service answers from its record and
// does not act again) and completes. On the real broker and PostgreSQL.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createKnex } from '@platform/db';
import { databaseOf, testDatabaseUrl } from '@platform/db/testing';
import { ClusterRpcClient, ServiceContainer } from '@platform/shimeji';
import { eventually, testBrokerUri } from '@platform/shimeji/testing';
import type { Knex } from 'knex';
import { getSaga } from '../../src';
import { ACTS_TABLE, stockService } from '../fixtures/stock-service';

const ROOT = path.resolve(__dirname, '../../../..');

function startOrchestrator(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../fixtures/orchestrator.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const ready = eventually('the orchestrator to say ready', () => (output.includes('ready\n') ? true : child.exitCode !== null ? Promise.reject(new Error(output)) : undefined), 60_000).then(() => undefined);
  return { child, ready, output: () => output };
}

const killed = (child: ChildProcessWithoutNullStreams) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('an orchestrator killed between steps', () => {
  const suffix = randomUUID().slice(0, 6);
  const names = { ORDERS_SERVICE: `orders_${suffix}`, STOCK_SERVICE: `stock_${suffix}` };
  const uri = testBrokerUri();
  const ordersUrl = testDatabaseUrl('saga_orders');
  let releaseCharge!: () => void;
  const chargeHeld = new Promise<void>((resolve) => (releaseCharge = resolve));
  let chargeEntered = false;
  const stock = new ServiceContainer(
    stockService(names.STOCK_SERVICE, {
      during: async (method) => {
        if (method !== 'charge' || chargeEntered) return;
        chargeEntered = true;
        await chargeHeld;
      },
    }),
    { AMQP_URI: uri, STOCK_DATABASE_URL: testDatabaseUrl('saga_stock'), logLevel: 'silent' },
  );
  const calls: string[] = [];
  stock.onWorkerFinished(({ ctx }) => calls.push(`${ctx.methodName} ${String(ctx.data.idempotency_key)}`));
  const children: ChildProcessWithoutNullStreams[] = [];
  let client: ClusterRpcClient;
  let knex: Knex;

  beforeAll(async () => {
    await stock.start();
    client = await ClusterRpcClient.connect({ uri });
  }, 60_000);
  afterAll(async () => {
    releaseCharge();
    await Promise.all(children.map(killed));
    await client?.close();
    await stock.stop();
    await knex?.destroy();
  }, 30_000);

  it('resumes from its last completed step when started again, and no step acts twice', async () => {
    const env = { ...names, AMQP_URI: uri, ORDERS_DATABASE_URL: ordersUrl };
    const first = startOrchestrator(env);
    children.push(first.child);
    await first.ready;
    const sagaId = (await client.call(names.ORDERS_SERVICE, 'placeOrder', ['o1'])) as string;
    await eventually('the charge to reach the stock service', () => (chargeEntered ? true : undefined), 20_000);

    await killed(first.child);
    releaseCharge(); // the first charge commits at the stock service; its reply finds no one
    knex = createKnex({ url: ordersUrl });
    expect(await getSaga(knex, sagaId)).toMatchObject({ status: 'running', cursor: 1 });

    const second = startOrchestrator(env);
    children.push(second.child);
    await second.ready;
    const state = await eventually('the saga to complete after the restart', async () => {
      const found = await getSaga(knex, sagaId);
      return found?.status === 'completed' ? found : undefined;
    }, 30_000);

    expect(state.steps.map((s) => [s.step, s.attempts])).toEqual([
      ['reserve', 1],
      ['charge', 1],
      ['ship', 1],
      ['record', 1],
    ]);
    const acts = await databaseOf(stock).knex(ACTS_TABLE).orderBy('id').pluck('method');
    expect(acts).toEqual(['reserve', 'charge', 'ship']);
    // The charge was sent twice, by each process, with one key: the second was answered from the record.
    expect(calls.filter((c) => c.startsWith('charge'))).toEqual([`charge saga:${sagaId}:charge`, `charge saga:${sagaId}:charge`]);
    expect(calls.filter((c) => c.startsWith('reserve'))).toHaveLength(1);
    expect(await knex('orders').pluck('id')).toEqual(['o1']);
  }, 120_000);
});
