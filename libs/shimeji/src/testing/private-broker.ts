// A RabbitMQ node of a test's own (its own node name, ports and data folder under a temporary
// directory), so a test can stop and restart a broker for real without touching the one every
// other test shares. Needs `rabbitmq-server` and `rabbitmqctl` on the machine.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './broker-proxy';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface PrivateBroker {
  /** `amqp://guest:guest@127.0.0.1:<port>/` */
  readonly uri: string;
  readonly nodeName: string;
  /** Stops the broker application (`rabbitmqctl stop_app`): every connection drops, none is taken. */
  down(): Promise<void>;
  /** Starts it again on the same port, its durable queues and messages as they were. */
  up(): Promise<void>;
  /** Stops the node and removes its folder. */
  stop(): Promise<void>;
}

/** Why a private broker cannot start here, or undefined when it can. */
export function privateBrokerUnavailable(): string | undefined {
  for (const tool of ['rabbitmq-server', 'rabbitmqctl']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

async function portOpen(port: number): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await sleep(200);
  }
}

export async function startPrivateBroker(): Promise<PrivateBroker> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shimeji-rabbit-'));
  const [port, distPort] = [await freePort(), await freePort()];
  const nodeName = `shimeji-test-${randomBytes(4).toString('hex')}@localhost`;
  for (const sub of ['mnesia', 'log']) fs.mkdirSync(path.join(dir, sub));
  fs.writeFileSync(path.join(dir, 'rabbitmq.conf'), `listeners.tcp.local = 127.0.0.1:${port}\n`);
  fs.writeFileSync(path.join(dir, 'enabled_plugins'), ''); // no management UI: its port would clash
  // As root, rabbitmq-server runs as the rabbitmq user, which must own its folder.
  if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'rabbitmq:rabbitmq', dir]);
  const env = {
    ...process.env,
    RABBITMQ_NODENAME: nodeName,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: path.join(dir, 'rabbitmq.conf'),
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
  };
  const server = spawn('rabbitmq-server', [], { env, stdio: 'ignore' });
  const ctl = (...args: string[]) => run('rabbitmqctl', ['-q', '-n', nodeName, ...args], { timeout: 60_000 });
  const broker: PrivateBroker = {
    uri: `amqp://guest:guest@127.0.0.1:${port}/`,
    nodeName,
    down: async () => {
      await ctl('stop_app');
    },
    up: async () => {
      // The listener's port can take a moment to be free again after stop_app.
      await until(
        async () => {
          try {
            await ctl('start_app');
            return true;
          } catch {
            return false;
          }
        },
        `${nodeName} did not start again`,
        30_000,
      );
      await until(() => portOpen(port), `${nodeName} did not listen on ${port}`, 30_000);
    },
    stop: async () => {
      await ctl('stop').catch(() => server.kill('SIGKILL'));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await until(() => portOpen(port), `the private RabbitMQ node ${nodeName} did not listen on ${port}`, 60_000);
  } catch (error) {
    server.kill('SIGKILL');
    throw error;
  }
  return broker;
}
