import { Writable } from 'node:stream';
import pino from 'pino';
import { rpc, service } from '../../src';
import { containerFactory, entrypointHook, testBrokerUri } from '../../src/testing';

class Declined extends Error {}

@service('logged')
class Logged {
  @rpc({ expectedExceptions: [Declined] })
  async decline() {
    throw new Declined('card declined');
  }

  @rpc({ expectedExceptions: [Declined] })
  async crash() {
    throw new TypeError('undefined is not a function');
  }
}

function capturingLogger() {
  const lines: { level: number; msg: string; err?: unknown; error?: unknown }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('logging a failed worker', () => {
  const containers = containerFactory();

  it('logs an expected error as a warning without a stack, and an unexpected one as an error', async () => {
    const { logger, lines } = capturingLogger();
    const container = containers(Logged, { AMQP_URI: testBrokerUri('memory') }, { logger });
    await container.start();
    await expect(entrypointHook(container, 'decline')()).rejects.toThrow('card declined');
    await expect(entrypointHook(container, 'crash')()).rejects.toThrow(TypeError);
    const failures = lines.filter((l) => /error in/.test(l.msg));
    expect(failures.map((l) => [l.level, l.msg.split(' ')[0]])).toEqual([
      [40, 'expected'],
      [50, 'unexpected'],
    ]);
    expect(failures[0]!.error).toEqual({ type: 'Declined', message: 'card declined' });
    expect(JSON.stringify(failures[1]!.err)).toContain('stack');
  });
});
