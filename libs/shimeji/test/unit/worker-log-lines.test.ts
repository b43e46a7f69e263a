import { Writable } from 'node:stream';
import pino from 'pino';
import { type ClusterRpcClient, inject, requestIdOf, rpc, service, WorkerLogger } from '../../src';
import { containerFactory, rpcClientFactory, testBrokerUri } from '../../src/testing';

class Declined extends Error {}

@service('till')
class Till {
  @rpc({ expectedExceptions: [Declined] })
  async pay(card: string) {
    if (card === 'declined') throw new Declined('card declined');
    if (card === 'broken') throw new TypeError('undefined is not a function');
    return 'paid';
  }
}

@service('chatty')
class Chatty {
  log = inject(new WorkerLogger());

  @rpc async talk() {
    this.log.warn({ order: 7 }, 'paid already');
  }
}

type Line = Record<string, unknown> & { level: number; msg: string };

function capturingLogger(level: string) {
  const lines: Line[] = [];
  const stream = new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) });
  return { logger: pino({ level }, stream), lines };
}

describe('the line a finished worker leaves', () => {
  const containers = containerFactory();
  const clients = rpcClientFactory();

  async function tillLoggingAt(level: string) {
    const { logger, lines } = capturingLogger(level);
    const uri = testBrokerUri('memory');
    const container = containers(Till, { AMQP_URI: uri }, { logger });
    await container.start();
    const client: ClusterRpcClient = await clients({ uri });
    // As a facade calls: `<facade>.http.<request id>`.
    const pay = (card: string) => client.call('till', 'pay', [card], { callId: 'web.http.req-123' });
    // Stopping waits for the workers in flight, whose line comes after their reply.
    const workerLines = async () => {
      await container.stop();
      return lines.filter((line) => line.entrypoint !== undefined);
    };
    return { client, pay, workerLines };
  }

  it('is one info line carrying the call id, the whole stack and the facade’s request id', async () => {
    const { pay, workerLines } = await tillLoggingAt('info');
    await expect(pay('visa')).resolves.toBe('paid');
    const [line, ...others] = await workerLines();
    expect(others).toEqual([]);
    expect(line).toMatchObject({ level: 30, service: 'till', entrypoint: 'pay', kind: 'rpc', outcome: 'ok', reqId: 'req-123' });
    expect(line!.callId).toMatch(/^till\.pay\./);
    expect(line!.callIdStack).toEqual(['web.http.req-123', line!.callId]);
    expect(line!.durationMs).toEqual(expect.any(Number));
  });

  it('is one warning without a stack for an expected error', async () => {
    const { pay, workerLines } = await tillLoggingAt('info');
    await expect(pay('declined')).rejects.toThrow('card declined');
    const lines = await workerLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, outcome: 'expected_error', reqId: 'req-123' });
    expect(lines[0]!.error).toEqual({ type: 'Declined', message: 'card declined' });
  });

  it('is one error line with the error’s stack for an unexpected error', async () => {
    const { pay, workerLines } = await tillLoggingAt('info');
    await expect(pay('broken')).rejects.toThrow();
    const lines = await workerLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, outcome: 'error', reqId: 'req-123', err: { type: 'TypeError' } });
    expect(String((lines[0]!.err as { stack: string }).stack)).toContain('undefined is not a function');
  });

  it('is not written at all for a successful call when the level is warn', async () => {
    const { pay, workerLines } = await tillLoggingAt('warn');
    await pay('visa');
    expect(await workerLines()).toEqual([]);
  });

  it('has no request id when the call did not begin at a facade', async () => {
    const { client, workerLines } = await tillLoggingAt('info');
    await client.call('till', 'pay', ['visa']);
    const [line] = await workerLines();
    expect(line).not.toHaveProperty('reqId');
    expect(line!.callIdStack).toHaveLength(2);
  });
});

describe('the lines a worker writes itself', () => {
  const containers = containerFactory();
  const clients = rpcClientFactory();

  it('carry the call id stack and the facade’s request id too', async () => {
    const { logger, lines } = capturingLogger('info');
    const uri = testBrokerUri('memory');
    const container = containers(Chatty, { AMQP_URI: uri }, { logger });
    await container.start();
    const client = await clients({ uri });
    await client.call('chatty', 'talk', [], { callId: 'admin.http.req-9' });
    await container.stop();
    const said = lines.find((line) => line.msg === 'paid already');
    expect(said).toMatchObject({ level: 40, method: 'talk', reqId: 'req-9' });
    expect(said!.callIdStack).toEqual(['admin.http.req-9', said!.callId]);
  });

  it('cost no child logger when their level is off', async () => {
    const { logger, lines } = capturingLogger('error');
    const uri = testBrokerUri('memory');
    const container = containers(Chatty, { AMQP_URI: uri }, { logger });
    await container.start();
    const child = jest.spyOn(container.logger, 'child');
    await (await clients({ uri })).call('chatty', 'talk', []);
    await container.stop();
    expect(child).not.toHaveBeenCalled();
    expect(lines.filter((line) => line.msg === 'paid already')).toEqual([]);
  });
});

describe('the request id of a call-id stack', () => {
  it('is what follows the facade’s `.http.` in the first entry, dots and all', () => {
    expect(requestIdOf(['web.http.a.b', 'till.pay.1'])).toBe('a.b');
  });

  it('is absent when the stack begins at a service or is empty', () => {
    expect(requestIdOf(['till.pay.1', 'web.http.req-1'])).toBeUndefined();
    expect(requestIdOf([])).toBeUndefined();
  });
});
