// The shimeji command, run as a user runs it, against the real broker.
import path from 'node:path';
import { createTransport, redactUri } from '../../src';
import { brokerProxy, rpcClientFactory, testBrokerUri } from '../../src/testing';
import { type CliProcess, startCli } from './cli-process';

const CONFIG = path.join(__dirname, 'fixtures/config.yaml');
const SERVICE = 'test/cli/fixtures/greeter-service.ts';

describe('the shimeji command', () => {
  const uri = testBrokerUri();
  const env = { TEST_AMQP_URI: uri };
  const clients = rpcClientFactory({ uri, timeoutMs: 20_000 });
  const running: CliProcess[] = [];

  afterEach(async () => {
    for (const cli of running.splice(0)) {
      if (cli.child.exitCode === null) {
        cli.child.kill('SIGKILL');
        await cli.exited;
      }
    }
  });

  const start = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const cli = startCli(args, { ...env, ...extraEnv });
    running.push(cli);
    return cli;
  };

  it('shows the config after ${VAR} and ${VAR:default} substitution', async () => {
    const cli = start(['show-config', '--config', CONFIG], { GREETING: 'hola' });
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain(`AMQP_URI: ${redactUri(uri)}`);
    expect(cli.output()).toContain('maxWorkers: 4\n');
    expect(cli.output()).toContain('greeting: hola\n');
  });

  it('refuses a config that needs an unset variable, naming it', async () => {
    const cli = start(['show-config', '--config', path.join(__dirname, 'fixtures/needs-secret.yaml')]);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('config stripeKey needs the environment variable SHIMEJI_CLI_TEST_UNSET_SECRET');
  });

  it('runs the services a module exports, says what it serves, and stops cleanly on SIGTERM', async () => {
    const cli = start(['run', SERVICE, '--config', CONFIG], { GREETING: 'ahoy' });
    await cli.waitForOutput(/service cli_greeter started/);
    expect(cli.output()).toContain('rpc cli_greeter.greet (queue rpc-cli_greeter)');
    expect(cli.output()).toContain('event cli_shell.poked -> onPoked (service_pool, queue evt-cli_shell-poked--cli_greeter.onPoked)');
    const client = await clients();
    await expect(client.call('cli_greeter', 'greet', ['Ann'])).resolves.toBe('ahoy, Ann');
    const inFlight = client.call('cli_greeter', 'slow', [700]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    cli.child.kill('SIGTERM');
    await expect(inFlight).resolves.toBe('finished');
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toContain('stopped (exit 0)');
  });

  it('logs JSON lines when piped, readable lines with LOG_FORMAT=pretty (a terminal\'s default), and refuses another format', async () => {
    const piped = start(['run', SERVICE, '--config', CONFIG], { GREETING: 'ahoy' });
    await piped.waitForOutput(/service cli_greeter started/);
    const json = piped.output().split('\n').find((line) => line.includes('service cli_greeter started'))!;
    expect(JSON.parse(json)).toMatchObject({ level: 30, service: 'cli_greeter', msg: 'service cli_greeter started' });
    piped.child.kill('SIGTERM');
    expect(await piped.exited).toBe(0);

    const pretty = start(['run', SERVICE, '--config', CONFIG], { GREETING: 'ahoy', LOG_FORMAT: 'pretty' });
    await pretty.waitForOutput(/service cli_greeter started/);
    const line = pretty.output().split('\n').find((l) => l.includes('service cli_greeter started'))!;
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(shimeji\): service cli_greeter started/);
    expect(pretty.output()).toMatch(/\n\s+service: "cli_greeter"/);
    pretty.child.kill('SIGTERM');
    expect(await pretty.exited).toBe(0);

    const wrong = start(['run', SERVICE, '--config', CONFIG], { LOG_FORMAT: 'xml' });
    expect(await wrong.exited).not.toBe(0);
    expect(wrong.output()).toContain('LOG_FORMAT is "xml": expected json or pretty');
  });

  it('stops at once, exit 0, on SIGTERM while the broker is gone', async () => {
    const broker = await brokerProxy(uri);
    try {
      const cli = start(['run', SERVICE, '--config', CONFIG], { TEST_AMQP_URI: broker.uri });
      await cli.waitForOutput(/service cli_greeter started/);
      await broker.down();
      await new Promise((resolve) => setTimeout(resolve, 300)); // the lost connection is noticed
      const stopping = Date.now();
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(2_000);
    } finally {
      await broker.down();
    }
  }, 30_000);

  it('kills at once on a second signal', async () => {
    const cli = start(['run', SERVICE, '--config', CONFIG]);
    await cli.waitForOutput(/service cli_greeter started/);
    const client = await clients();
    void client.call('cli_greeter', 'slow', [10_000]).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    cli.child.kill('SIGTERM');
    await cli.waitForOutput(/stopping/);
    const began = Date.now();
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(1);
    expect(Date.now() - began).toBeLessThan(5_000);
  });

  it('shows dead-lettered messages with their reason, and replays them', async () => {
    const transport = createTransport(uri, { heartbeatSeconds: 5 });
    await transport.connect();
    const queue = `cli-dl-${Date.now()}`;
    await transport.assertExchange('cli_dl', { durable: true });
    await transport.assertQueue(queue, { durable: true });
    await transport.bindQueue(queue, 'cli_dl', 'thing');
    await transport.assertQueue(`${queue}.dead-letter`, { durable: true });
    await transport.publish({
      exchange: '',
      routingKey: `${queue}.dead-letter`,
      body: Buffer.from('{"id": 1}'),
      properties: {
        headers: {
          'x-shimeji-dead-letter-reason': 'handler failed 3 time(s): Error: boom',
          'x-shimeji-original-exchange': 'cli_dl',
          'x-shimeji-original-routing-key': 'thing',
          'x-shimeji-original-queue': queue,
        },
      },
    });
    try {
      const list = start(['dead-letters', queue, '--broker', uri]);
      expect(await list.exited).toBe(0);
      expect(list.output()).toContain('1 message(s) shown');
      expect(list.output()).toContain('handler failed 3 time(s): Error: boom');
      const replay = start(['dead-letters', queue, '--replay', '--broker', uri]);
      expect(await replay.exited).toBe(0);
      expect(replay.output()).toContain('replayed 1 message(s)');
      const back = await transport.get(queue);
      expect(back?.body.toString()).toBe('{"id": 1}');
      expect(back?.properties.headers?.['x-shimeji-dead-letter-reason']).toBeUndefined();
      back?.ack();
    } finally {
      await transport.deleteQueue(queue);
      await transport.deleteQueue(`${queue}.dead-letter`);
      await transport.close();
    }
  });

  it('opens a shell where a person calls services and dispatches events, line by line', async () => {
    const service = start(['run', SERVICE, '--config', CONFIG]);
    await service.waitForOutput(/service cli_greeter started/);
    const shell = start(['shell', '--broker', uri]);
    let prompts = 1;
    const say = async (line: string) => {
      await shell.waitForCount('shimeji> ', prompts);
      prompts++;
      shell.child.stdin.write(`${line}\n`);
    };
    await say("await n.rpc.cli_greeter.greet('Bo')");
    await shell.waitForOutput(/'hello, Bo'/);
    await say("await n.dispatchEvent('cli_shell', 'poked', { by: 'shell' })");
    await say('await new Promise((r) => setTimeout(r, 300))');
    await say('await n.rpc.cli_greeter.lastPoke()');
    await shell.waitForOutput(/\{ by: 'shell' \}/);
    await say("await n.rpc.ghost.anything().catch((e) => e.constructor.name)");
    await shell.waitForOutput(/'UnknownService'/);
    await say('.exit');
    expect(await shell.exited).toBe(0);
  }, 60_000);
});
