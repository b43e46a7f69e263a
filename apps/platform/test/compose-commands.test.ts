// Every command docker-compose.yml runs from our image, run here as a container would run it:
// the same command line and environment, with the image's PATH (node_modules/.bin first), but
// this run's broker and databases and free ports on loopback. Each comes up, and stops with
// exit 0 on SIGTERM (which is all `docker compose stop` sends before it kills).
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { testDatabaseUrl } from '@platform/db/testing';
import { testBrokerUri } from '@platform/shimeji/testing';
import YAML from 'yaml';
import { FACADES, SERVICES } from '../src/platform';

const root = path.resolve(__dirname, '..', '..', '..');
const compose = YAML.parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command: string[]; environment?: Record<string, string> }>;
};

interface Started {
  output(): string;
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();
const killGroup = (child: ChildProcess) => {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // the group is gone already
  }
};
// Whatever a failed test left running goes with it, so it never answers the next test's calls.
afterEach(() => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) killGroup(child);
  running.clear();
});

/** Runs `command` with the container's environment over ours and waits until it prints `ready`. */
async function runAsContainer(command: string[], environment: Record<string, string>, ready: RegExp): Promise<Started & { match: RegExpExecArray }> {
  const { NODE_OPTIONS: _jestOnly, ...base } = process.env;
  const env = { ...base, ...environment, PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${base.PATH ?? ''}` };
  // A process group of its own: when a command fails to come up, its children (tsx runs the
  // program in one) are killed with it rather than left running on the test broker.
  const child = spawn(command[0]!, command.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const started = { output: () => output, stop: async () => (child.kill('SIGTERM'), exited) };
  const deadline = Date.now() + 90_000;
  for (;;) {
    const match = ready.exec(output);
    if (match) return { ...started, match };
    if (child.exitCode !== null || Date.now() > deadline) {
      killGroup(child);
      throw new Error(`${command.join(' ')} did not print ${ready} (exit ${child.exitCode}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the commands docker-compose.yml runs from our image', () => {
  it('starts the Stripe emulator', async () => {
    const { command } = compose.services.stripe!;
    const local = command.map((arg, i) => (command[i - 1] === '--port' ? '0' : command[i - 1] === '--host' ? '127.0.0.1' : arg));
    const emulator = await runAsContainer(local, {}, /listening on (http:\/\/\S+)/);
    const customer = await fetch(`${emulator.match[1]}/v1/customers`, { method: 'POST', headers: { authorization: 'Bearer sk_test_local' } });
    expect(customer.status).toBe(200);
    expect(await customer.json()).toMatchObject({ object: 'customer' });
    expect(await emulator.stop()).toBe(0);
  });

  it.each(SERVICES)('runs the %s service on its own database', async (service) => {
    const { command, environment } = compose.services[service]!;
    const env = {
      ...environment,
      AMQP_URI: testBrokerUri(),
      [`${service.toUpperCase()}_DATABASE_URL`]: testDatabaseUrl(`compose_${service}`),
    };
    const running = await runAsContainer(command, env, new RegExp(`service ${service} started`));
    expect(running.output()).toContain(`database of ${service} ready`);
    expect(await running.stop()).toBe(0);
    expect(running.output()).toContain(`service ${service} stopped`);
  });

  it.each(FACADES)('runs the $name facade from config.yaml, ready on the broker', async ({ name, portVar }) => {
    const { command, environment } = compose.services[name]!;
    const env = { ...environment, AMQP_URI: testBrokerUri(), [`${name.toUpperCase()}_HOST`]: '127.0.0.1', [portVar]: '0' };
    const facade = await runAsContainer(command, env, new RegExp(`${name} facade at (http://\\S+),`));
    const url = facade.match[1]!;
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    expect((await fetch(`${url}/docs/json`)).status).toBe(200);
    expect(await facade.stop()).toBe(0);
  });
});
