// `shimeji shell` and `shimeji services` as a person uses them, against the real broker: the
// shell fed line by line through a pipe, and typed at in a pseudo-terminal for Tab and history.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { containerFactory, testBrokerUri } from '../../src/testing';
import { type CliProcess, ptyUnavailable, startCli, startCliInPty } from './cli-process';
import { GreeterService } from './fixtures/greeter-service';

const noPty = ptyUnavailable();
if (noPty) console.warn(`[shell] Tab completion and history not tested: ${noPty}`);
const itInPty = noPty ? it.skip : it;

describe('the shimeji shell', () => {
  const uri = testBrokerUri();
  const containers = containerFactory({ AMQP_URI: uri, greeting: 'hello' });
  const running: CliProcess[] = [];
  let historyDir: string;

  // The factory stops what it started after each test.
  beforeEach(async () => {
    await containers(GreeterService).start();
    await containers(GreeterService).start();
    historyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shell-history-'));
  });
  afterEach(async () => {
    for (const cli of running.splice(0)) {
      if (cli.child.exitCode === null) {
        cli.child.kill('SIGKILL');
        await cli.exited;
      }
    }
    fs.rmSync(historyDir, { recursive: true, force: true });
  });

  const env = () => ({ SHIMEJI_SHELL_HISTORY: path.join(historyDir, 'history') });
  const piped = () => {
    const shell = startCli(['shell', '--broker', uri], env());
    running.push(shell);
    let prompts = 1;
    const say = async (line: string) => {
      await shell.waitForCount('shimeji> ', prompts);
      prompts++;
      shell.child.stdin.write(`${line}\n`);
    };
    return { shell, say };
  };

  it('lists the services on the broker, their instances and their methods with parameters', async () => {
    const { shell, say } = piped();
    await shell.waitForOutput(/services: .*cli_greeter \(2\)/);
    await say('.services');
    await shell.waitForOutput(/rpc {4}refuse\(why\)/);
    expect(shell.output()).toMatch(/cli_greeter {2}\(2 instances\)\n {2}\w+ {2}\S+ pid \d+ {2}up \d+ s, workers \d+\/\d+\n {2}\w+ /);
    expect(shell.output()).toContain('rpc    greet(name)');
    expect(shell.output()).toContain('event  onPoked <- cli_shell.poked (service_pool)');
  }, 30_000);

  it('calls with .call, dispatches with .emit, and benchmarks with .bench', async () => {
    const { shell, say } = piped();
    await say(".call cli_greeter.greet ['Bo']");
    await shell.waitForOutput(/"hello, Bo"/);
    await say(".call cli_greeter.greet {name: 'Cy'}");
    await shell.waitForOutput(/"hello, Cy"/);
    await say(".emit cli_shell.poked {by: 'emit'}");
    await shell.waitForOutput(/dispatched cli_shell.poked/);
    await say('await new Promise((r) => setTimeout(r, 300))');
    await say('.call cli_greeter.lastPoke');
    await shell.waitForOutput(/"by": "emit"/);
    await say(".bench cli_greeter.greet ['x'] --n 60 --concurrency 6");
    await shell.waitForOutput(/failed \d+/);
    expect(shell.output()).toMatch(/cli_greeter\.greet: 60 calls, 6 at a time, in [\d.]+ s: \d+ calls\/s\n {2}latency ms {2}p50 [\d.]+ {2}p95 [\d.]+ {2}p99 [\d.]+ {2}max [\d.]+\n {2}failed 0/);
  }, 30_000);

  it('prints a remote error as one line, without stack frames', async () => {
    const { shell, say } = piped();
    await say("await n.rpc.cli_greeter.refuse('not today')");
    await shell.waitForOutput(/Uncaught Grumpy: not today\n/);
    await say(".call cli_greeter.refuse ['nor tomorrow']");
    await shell.waitForOutput(/Grumpy: nor tomorrow\n/);
    await say('.call nonsense');
    await shell.waitForOutput(/SyntaxError: usage: \.call <service>\.<method>/);
    await say('.exit');
    expect(await shell.exited).toBe(0);
    expect(shell.output()).not.toMatch(/^\s+at /m);
  }, 30_000);

  itInPty('completes a method name on Tab and keeps the history across sessions', async () => {
    const shell = startCliInPty(['shell', '--broker', uri], env());
    running.push(shell);
    await shell.waitForCount('shimeji> ', 1);
    shell.child.stdin.write('await n.rpc.cli_greeter.gr\t');
    await shell.waitForOutput(/await n\.rpc\.cli_greeter\.greet/);
    shell.child.stdin.write("('Tab')\r");
    await shell.waitForOutput(/'hello, Tab'/);
    shell.child.stdin.write('.call cli_greeter.las\t');
    await shell.waitForOutput(/\.call cli_greeter\.lastPoke/);
    shell.child.stdin.write('\r');
    await shell.waitForCount('shimeji> ', 3);
    // Ctrl-D: leaves without a line of its own in the history.
    shell.child.stdin.write('\x04');
    expect(await shell.exited).toBe(0);
    const history = fs.readFileSync(path.join(historyDir, 'history'), 'utf8').split('\n');
    expect(history).toContain("await n.rpc.cli_greeter.greet('Tab')");
    expect(history).toContain('.call cli_greeter.lastPoke');

    // The next session starts with it: the up arrow brings the last line back.
    const again = startCliInPty(['shell', '--broker', uri], env());
    running.push(again);
    await again.waitForCount('shimeji> ', 1);
    again.child.stdin.write('\x1b[A\x1b[A\r');
    await again.waitForOutput(/'hello, Tab'/);
    again.child.stdin.write('\x04');
    expect(await again.exited).toBe(0);
  }, 60_000);
});

describe('shimeji services', () => {
  const uri = testBrokerUri();
  const containers = containerFactory({ AMQP_URI: uri, greeting: 'hello' });

  beforeEach(async () => {
    await containers(GreeterService).start();
  });

  it('prints the services on the broker, their instances and entrypoints', async () => {
    const cli = startCli(['services', '--broker', uri]);
    expect(await cli.exited).toBe(0);
    expect(cli.output()).toMatch(/cli_greeter {2}\(1 instance\)/);
    expect(cli.output()).toContain('rpc    slow(ms)');
  });

  it('prints the same as JSON for scripts', async () => {
    const cli = startCli(['services', '--broker', uri, '--json', '--wait', '300']);
    expect(await cli.exited).toBe(0);
    const listing = JSON.parse(cli.output()) as { service: string; instances: { entrypoints: { method: string }[] }[] }[];
    const greeter = listing.find((s) => s.service === 'cli_greeter');
    expect(greeter?.instances[0]?.entrypoints.map((e) => e.method).sort()).toEqual(['greet', 'lastPoke', 'onPoked', 'refuse', 'slow']);
  });

  it('refuses a window that is not a positive number, naming the option', async () => {
    const cli = startCli(['services', '--broker', uri, '--wait', 'soon']);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('--wait must be a positive number of milliseconds');
  });
});
