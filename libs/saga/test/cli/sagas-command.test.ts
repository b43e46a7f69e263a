// `shimeji-sagas list|show|retry`, run as an operator runs it, against a service's PostgreSQL database
// holding a completed, a compensated and a stuck saga.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { testDatabaseUrl } from '@platform/db/testing';
import type { Knex } from 'knex';
import { createLogger } from '@platform/shimeji';
import { getSaga, saga, SagaRunner } from '../../src';
import { fakeStepCaller, runSagaWithFakes, sagaTestDatabase, settle } from '../../src/testing';

const BIN = path.resolve(__dirname, '../../bin/shimeji-sagas.cjs');

function cli(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const refund = saga<{ orderId: string }>('refund_order')
  .remoteStep('refund')
  .onExecute('payment', 'refundPayment', (c) => [c.orderId])
  .compensate('payment', 'chargeAgain', (c) => [c.orderId])
  .remoteStep('notify')
  .onExecute('messaging', 'sendRefundEmail', (c) => [c.orderId])
  .commit();

describe('shimeji-sagas', () => {
  const url = testDatabaseUrl('saga_cli');
  const env = { BILLING_DATABASE_URL: url };
  let knex: Knex;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    knex = await sagaTestDatabase(url);
    const ok = { 'payment.refundPayment': () => ({ id: 're_1' }), 'messaging.sendRefundEmail': () => null, 'payment.chargeAgain': () => null };
    ids.completed = (await runSagaWithFakes(refund, { orderId: 'o1' }, ok, { knex })).saga.id;
    const noMail = { ...ok, 'messaging.sendRefundEmail': () => Promise.reject(new Error('mailbox full')) };
    ids.compensated = (await runSagaWithFakes(refund, { orderId: 'o2' }, noMail, { knex })).saga.id;
    const noUndo = { ...noMail, 'payment.chargeAgain': () => Promise.reject(new Error('card expired')) };
    ids.stuck = (await runSagaWithFakes(refund, { orderId: 'o3' }, noUndo, { knex, compensationAttempts: 2 })).saga.id;
  }, 60_000);
  afterAll(() => knex?.destroy());

  it('lists the sagas newest first, with their status, last step and reason', () => {
    const { status, stdout } = cli(['list', '--service', 'billing'], env);
    expect(status).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+SAGA\s+STATUS\s+LAST STEP\s+UPDATED\s+REASON$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(0, 4))).toEqual([
      [ids.stuck, 'refund_order', 'stuck', 'refund compensate failed'],
      [ids.compensated, 'refund_order', 'compensated', 'refund compensate done'],
      [ids.completed, 'refund_order', 'completed', 'notify execute done'],
    ]);
    expect(lines[1]).toContain('compensation of refund failed 2 time(s): Error: card expired');
    expect(lines[2]).toContain('step notify failed: Error: mailbox full');
  });

  it('lists only the sagas of one status when asked', () => {
    const { stdout } = cli(['list', '--service', 'billing', '--status', 'stuck'], env);
    expect(stdout).toContain(ids.stuck);
    expect(stdout).not.toContain(ids.completed);
  });

  it('shows one saga: its state, reasons, context and every step with its tries, timing and error', () => {
    const { status, stdout } = cli(['show', ids.stuck!, '--service', 'billing'], env);
    expect(status).toBe(0);
    expect(stdout).toContain(`saga     ${ids.stuck} (refund_order)`);
    expect(stdout).toContain('status   stuck');
    expect(stdout).toContain('failure  step notify failed: Error: mailbox full');
    expect(stdout).toContain('stuck    compensation of refund failed 2 time(s): Error: card expired');
    expect(stdout).toContain('context  {"orderId":"o3"}');
    const steps = stdout.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s{2,}/));
    expect(steps[0]).toEqual(['STEP', 'PHASE', 'STATUS', 'TRIES', 'STARTED', 'DURATION', 'ERROR']);
    expect(steps.slice(1).map((s) => [s[0], s[1], s[2], s[3], s[6]])).toEqual([
      ['refund', 'execute', 'done', '1', undefined],
      ['notify', 'execute', 'failed', '1', 'Error: mailbox full'],
      ['refund', 'compensate', 'failed', '2', 'Error: card expired'],
    ]);
    expect(steps[1]![5]).toMatch(/^\d+ ms$/);
  });

  it('says which setting to set when it has no database URL for the service', () => {
    const { status, stderr } = cli(['list', '--service', 'billing'], { BILLING_DATABASE_URL: '' });
    expect(status).toBe(2);
    expect(stderr).toContain('no database URL for billing: set BILLING_DATABASE_URL in the environment (or in a --config file), or pass --database-url');
  });

  it('says so when there is no such saga, or no saga table yet', () => {
    expect(cli(['show', '00000000-0000-0000-0000-000000000000', '--service', 'billing'], env)).toMatchObject({ status: 1, stderr: expect.stringContaining('no saga 00000000-0000-0000-0000-000000000000 in') });
    const empty = cli(['list', '--service', 'billing', '--database-url', url.replace(/\/[^/]+$/, '/postgres')]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toContain('has no shimeji_sagas table: billing has not run with Sagas yet');
  });

  it('sends a stuck saga back to compensating on retry, and it is compensated once its compensation works', async () => {
    const { status, stdout } = cli(['retry', ids.stuck!, '--service', 'billing'], env);
    expect(status).toBe(0);
    expect(stdout).toContain(`saga ${ids.stuck} is compensating again`);
    expect(await getSaga(knex, ids.stuck!)).toMatchObject({ status: 'compensating', stuckReason: null, attempts: 0 });
    const fixed = fakeStepCaller({ 'payment.chargeAgain': () => null });
    const runner = new SagaRunner({ knex, definitions: [refund], call: fixed, logger: createLogger('silent') });
    expect(await settle(runner, knex, ids.stuck!)).toMatchObject({ status: 'compensated' });
    expect(fixed.calls.map((c) => c.idempotencyKey)).toEqual([`saga:${ids.stuck}:refund:compensate`]);
    expect(cli(['retry', ids.completed!, '--service', 'billing'], env)).toMatchObject({ status: 1, stderr: expect.stringContaining('is completed, not stuck') });
  });
});
