// The project service's process is killed (`kill -9`) while orders are on their way to it, and a
// new one takes its place: clients that retry each request with its Idempotency-Key get their
// order in the end, and no request places two, whatever the killed process had done of it.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { accessConfig, eventually, testBrokerUri } from '@platform/shimeji/testing';
import { type Attempt, type FaultyPlatform, sendUntilAnswered, signUp, startFaultyPlatform } from './faulty-platform';

const REPO = path.resolve(__dirname, '../../../..');
const REQUESTS = 20;
/** Requests start this far apart, so that the kill finds some answered and some on their way. */
const SPREAD_MS = 50;
/** A client gives up on a request after this long: a new process (tsx compiling it) may take a while on a loaded machine. */
const PATIENCE_MS = 60_000;

interface ProjectProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: string[];
}

describe('orders sent while the project service’s process is killed and started again', () => {
  let platform: FaultyPlatform;
  let configFile: string;
  const processes: ProjectProcess[] = [];

  /** `shimeji run` of the project service alone, as its own process, on the test's broker and the platform's project database. */
  const startProjectProcess = (): ProjectProcess => {
    const child = spawn(path.join(REPO, 'node_modules/.bin/shimeji'), ['run', 'services/project/src/service.ts', '--config', configFile], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => output.push(String(chunk)));
    child.stderr!.on('data', (chunk: Buffer) => output.push(String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const started = { child, exited, output };
    processes.push(started);
    return started;
  };

  beforeAll(async () => {
    platform = await startFaultyPlatform({ brokerUri: testBrokerUri(), inProcess: ['user', 'payment', 'messaging'] });
    configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'faults-project-')), 'project.yaml');
    // The test keys as YAML strings: the process checks tokens as the in-process services do.
    const keys = Object.entries(accessConfig()).map(([key, value]) => `${key}: ${JSON.stringify(value)}\n`).join('');
    fs.writeFileSync(configFile, `AMQP_URI: ${JSON.stringify(testBrokerUri())}\nPROJECT_DATABASE_URL: ${JSON.stringify(platform.databaseUrls.project)}\nlogLevel: warn\n${keys}`);
  }, 120_000);
  afterAll(async () => {
    for (const { child, exited } of processes) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      child.kill('SIGTERM');
      // A graceful stop that hangs must not outlive the file: then it is killed.
      let timer: NodeJS.Timeout | undefined;
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(resolve, 15_000, false)))]);
      clearTimeout(timer);
      if (!stopped) child.kill('SIGKILL');
    }
    await platform?.stop();
    if (configFile) fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
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
