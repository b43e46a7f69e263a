import { Writable } from 'node:stream';
import pino from 'pino';
import { inject, rpc, service, WorkerLogger } from '../../src';
import { containerFactory, entrypointHook, testBrokerUri } from '../../src/testing';

@service('chatty')
class Chatty {
  log = inject(new WorkerLogger());

  @rpc async talk() {
    this.log.warn({ order: 7 }, 'paid already');
    this.log.info('just a line');
  }
}

describe('the worker logger', () => {
  const containers = containerFactory();

  it('logs through the container’s logger, tagged with the call id and method', async () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({ write: (chunk, _e, done) => (lines.push(JSON.parse(chunk.toString())), done()) });
    const container = containers(Chatty, { AMQP_URI: testBrokerUri('memory') }, { logger: pino({ level: 'info' }, stream) });
    await container.start();
    await entrypointHook(container, 'talk')();
    const said = lines.filter((l) => l.msg === 'paid already' || l.msg === 'just a line');
    expect(said).toHaveLength(2);
    expect(said[0]).toMatchObject({ level: 40, order: 7, method: 'talk', service: 'chatty' });
    expect(String(said[0]!.callId)).toMatch(/^chatty\.talk\./);
    expect(said[1]).toMatchObject({ level: 30, callId: said[0]!.callId });
  });
});
