// An entrypoint that declares its arguments gets them bound by those names and checked before
// any worker runs; a schema lib supplies the check (here a hand-written one: shimeji knows none).
import { ErrorRegistry, type EntrypointArguments, rpc, service } from '../../src';
import { containerFactory, rpcClientFactory, testBrokerUri, workerFactory } from '../../src/testing';

class BadRequest extends Error {}

/** `orderId` required and trimmed, `note` optional and upper-cased. */
const payArguments: EntrypointArguments = {
  parameters: [
    { name: 'orderId', optional: false, rest: false },
    { name: 'note', optional: true, rest: false },
  ],
  parse([orderId, note]) {
    if (typeof orderId !== 'string' || orderId.trim() === '') throw new BadRequest('orderId: must be a non-empty string');
    return [orderId.trim(), typeof note === 'string' ? note.toUpperCase() : 'NONE'];
  },
};

const ran: unknown[][] = [];

@service('till')
class Till {
  @rpc({ args: payArguments, expectedExceptions: [BadRequest] })
  async pay(id: string, remark: string): Promise<string> {
    ran.push([id, remark]);
    return `${id}:${remark}`;
  }
}

class TheirBadRequest extends Error {}

describe('declared entrypoint arguments', () => {
  const containers = containerFactory();
  const clients = rpcClientFactory({ errors: new ErrorRegistry().register('till.exceptions.BadRequest', TheirBadRequest) });
  const uri = testBrokerUri('memory');

  beforeEach(async () => {
    ran.length = 0;
    await containers(Till, { AMQP_URI: uri }).start();
  });

  it('hands the method the checked values, positionally', async () => {
    const client = await clients({ uri });
    await expect(client.call('till', 'pay', ['  o-1 ', 'thanks'])).resolves.toBe('o-1:THANKS');
  });

  it('binds kwargs by the declared names, in camelCase or snake_case, not by the method own names', async () => {
    const client = await clients({ uri });
    await expect(client.call('till', 'pay', [], { kwargs: { order_id: 'o-2' } })).resolves.toBe('o-2:NONE');
    await expect(client.call('till', 'pay', [], { kwargs: { orderId: 'o-3', note: 'x' } })).resolves.toBe('o-3:X');
    await expect(client.call('till', 'pay', [], { kwargs: { id: 'o-4' } })).rejects.toThrow("unexpected keyword argument 'id'");
  });

  it('answers a value the declaration refuses with the service own error, and runs no worker', async () => {
    const client = await clients({ uri });
    await expect(client.call('till', 'pay', ['   '])).rejects.toBeInstanceOf(TheirBadRequest);
    expect(ran).toEqual([]);
  });

  it('still refuses a call missing a required argument with IncorrectSignature', async () => {
    const client = await clients({ uri });
    await expect(client.call('till', 'pay', [])).rejects.toThrow("missing 1 required argument: 'orderId'");
  });

  it('checks the arguments the same way when a unit test calls a worker directly', async () => {
    const worker = workerFactory(Till);
    await expect(worker.pay(' o-5 ', 'ok')).resolves.toBe('o-5:OK');
    await expect(worker.pay('', 'ok')).rejects.toBeInstanceOf(BadRequest);
  });
});
