// One contract for RPC, run against every transport: whatever passes here on the in-memory
// broker passes on RabbitMQ, and the other way round.
import { randomUUID } from 'node:crypto';
import {
  createTransport,
  ErrorRegistry,
  IncorrectSignature,
  MalformedRequest,
  MethodNotFound,
  RemoteError,
  RpcTimeout,
  UnknownService,
  type Delivery,
} from '../../src';
import { containerFactory, rpcClientFactory, testBrokerUri } from '../../src/testing';
import { BankService, concurrency, executions, InsufficientFunds, TellerService } from './contract-services';

type Bank = Pick<BankService, 'balance' | 'withdraw' | 'explode' | 'slow' | 'whoAmI'>;

const waitFor = async (check: () => boolean, timeoutMs = 5000): Promise<void> => {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

export function rpcContract(kind: 'amqp' | 'memory'): void {
  // Each test gets a broker of its own (a memory broker, or the run's vhost with fresh queues).
  let uri: string;
  const containers = containerFactory();
  const clients = rpcClientFactory();

  beforeEach(() => {
    uri = testBrokerUri(kind);
  });

  const startBank = async (config: Record<string, unknown> = {}) => {
    const container = containers(BankService, { AMQP_URI: uri, ...config });
    await container.start();
    return container;
  };

  describe(`RPC over the ${kind} transport`, () => {
    it('returns what the method returns', async () => {
      await startBank();
      const client = await clients({ uri });
      await expect(client.service<Bank>('bank').balance('acc-1')).resolves.toEqual({
        accountId: 'acc-1',
        currency: 'EUR',
        amount: 100,
      });
    });

    it('maps keyword arguments onto parameters, in camelCase or snake_case', async () => {
      await startBank();
      const client = await clients({ uri });
      const viaKwargs = await client.call('bank', 'balance', [], { kwargs: { account_id: 'acc-2', currency: 'GBP' } });
      expect(viaKwargs).toEqual({ accountId: 'acc-2', currency: 'GBP', amount: 100 });
      const mixed = await client.call('bank', 'balance', ['acc-3'], { kwargs: { currency: 'USD' } });
      expect(mixed).toEqual({ accountId: 'acc-3', currency: 'USD', amount: 100 });
    });

    it('raises a registered remote error as the caller’s own class', async () => {
      await startBank();
      class NotEnoughMoney extends Error {}
      const errors = new ErrorRegistry().register('bank.exceptions.InsufficientFunds', NotEnoughMoney);
      const client = await clients({ uri, errors });
      const failure = client.service<Bank>('bank').withdraw(500);
      await expect(failure).rejects.toBeInstanceOf(NotEnoughMoney);
      await expect(failure).rejects.toThrow('cannot withdraw 500');
    });

    it('raises an unregistered remote error as RemoteError with its type, path and arguments', async () => {
      await startBank();
      const client = await clients({ uri });
      const error = (await client.service<Bank>('bank').explode().catch((e: unknown) => e)) as RemoteError;
      expect(error).toBeInstanceOf(RemoteError);
      expect(error.excType).toBe('Unexpected');
      expect(error.excPath).toBe('bank.exceptions.Unexpected');
      expect(error.excArgs).toEqual(['it broke', '42']);
      expect(error.message).toBe('Unexpected it broke');
      const expected = (await client.service<Bank>('bank').withdraw(101).catch((e: unknown) => e)) as RemoteError;
      expect(expected.excPath).toBe(InsufficientFunds.excPath);
    });

    it('answers an unknown method with MethodNotFound', async () => {
      await startBank();
      const client = await clients({ uri });
      await expect(client.call('bank', 'rob', [])).rejects.toEqual(new MethodNotFound('rob'));
    });

    it('refuses arguments that do not fit the signature with IncorrectSignature', async () => {
      await startBank();
      const client = await clients({ uri });
      await expect(client.call('bank', 'withdraw', [1, 2])).rejects.toThrow(IncorrectSignature);
      await expect(client.call('bank', 'balance', [])).rejects.toThrow("balance() missing 1 required argument: 'accountId'");
      await expect(client.call('bank', 'balance', ['a'], { kwargs: { colour: 'red' } })).rejects.toThrow(
        "balance() got an unexpected keyword argument 'colour'",
      );
      await expect(client.call('bank', 'balance', ['a'], { kwargs: { account_id: 'b' } })).rejects.toThrow(
        "balance() got multiple values for argument 'accountId'",
      );
    });

    it('fails at once with UnknownService when no service listens', async () => {
      const client = await clients({ uri, timeoutMs: 10_000 });
      const started = Date.now();
      await expect(client.call('ghost', 'anything', [])).rejects.toEqual(new UnknownService('ghost'));
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('gives up with RpcTimeout instead of waiting forever', async () => {
      await startBank();
      const client = await clients({ uri, timeoutMs: 100 });
      await expect(client.service<Bank>('bank').slow(randomUUID(), 1000)).rejects.toBeInstanceOf(RpcTimeout);
      const patient = client.service<Bank>('bank').$with({ timeoutMs: 5000 });
      const id = randomUUID();
      await expect(patient.slow(id, 200)).resolves.toBe(id);
    });

    it('runs calls in parallel and matches every reply to its call', async () => {
      await startBank();
      const client = await clients({ uri });
      const bank = client.service<Bank>('bank');
      const ids = Array.from({ length: 30 }, () => randomUUID());
      await expect(Promise.all(ids.map((id) => bank.balance(id)))).resolves.toEqual(
        ids.map((accountId) => ({ accountId, currency: 'EUR', amount: 100 })),
      );
    });

    it('never runs more workers at once than maxWorkers', async () => {
      await startBank({ maxWorkers: 2 });
      const client = await clients({ uri });
      concurrency.max = 0;
      const bank = client.service<Bank>('bank');
      await Promise.all(Array.from({ length: 6 }, () => bank.slow(randomUUID(), 50)));
      expect(concurrency.max).toBe(2);
    });

    it('lets one service call another, passing context data and the call id stack along', async () => {
      await startBank({ region: 'eu' });
      const teller = containers(TellerService, { AMQP_URI: uri });
      await teller.start();
      const client = await clients({ uri, contextData: { user_id: 'u-1', language: 'en-gb' } });
      const callId = `web.request.${randomUUID()}`;
      const answer = (await client.call('teller', 'relayWhoAmI', [], { callId })) as {
        teller: string;
        bank: { data: Record<string, unknown>; callIdStack: string[]; region: string };
      };
      expect(answer.bank.data).toEqual({ user_id: 'u-1', language: 'en-gb' });
      expect(answer.bank.region).toBe('eu');
      expect(answer.bank.callIdStack).toHaveLength(3);
      expect(answer.bank.callIdStack.slice(0, 2)).toEqual([callId, answer.teller]);
      expect(answer.bank.callIdStack[2]).toMatch(/^bank\.whoAmI\.[0-9a-f-]{36}$/);
    });

    it('finishes and answers work in flight when stopped, and hands back what it had not begun', async () => {
      const first = await startBank({ maxWorkers: 2 });
      const client = await clients({ uri });
      const bank = client.service<Bank>('bank');
      const ids = Array.from({ length: 4 }, () => randomUUID());
      const calls = ids.map((id) => bank.slow(id, 300));
      await waitFor(() => ids.filter((id) => executions[id]).length === 2);
      await first.stop();
      await startBank({ maxWorkers: 2 });
      await expect(Promise.all(calls)).resolves.toEqual(ids);
      expect(ids.map((id) => executions[id])).toEqual([1, 1, 1, 1]);
    });

    it('stops under load without failing, losing or repeating a call', async () => {
      const first = await startBank({ maxWorkers: 10 });
      const client = await clients({ uri, timeoutMs: 20_000 });
      const bank = client.service<Bank>('bank');
      const ids = Array.from({ length: 300 }, () => randomUUID());
      const calls = ids.map((id) => bank.slow(id, 2));
      await waitFor(() => ids.filter((id) => executions[id]).length >= 100);
      await first.stop();
      await startBank({ maxWorkers: 10 });
      await expect(Promise.all(calls)).resolves.toEqual(ids);
      expect(ids.filter((id) => executions[id] !== 1)).toEqual([]);
    });

    describe('a request that cannot be served', () => {
      const publishRaw = async (props: Record<string, unknown>, body: string, routingKey = 'bank.balance') => {
        const transport = createTransport(uri, { heartbeatSeconds: 5 });
        await transport.connect();
        const replyId = randomUUID();
        const replies: Delivery[] = [];
        await transport.assertQueue(`test-replies-${replyId}`, { durable: false, autoDelete: true });
        await transport.bindQueue(`test-replies-${replyId}`, 'nameko-rpc', replyId);
        const consumer = await transport.consume(`test-replies-${replyId}`, (d) => (replies.push(d), d.ack()), { prefetch: 0 });
        await transport.publish({
          exchange: 'nameko-rpc',
          routingKey,
          body: Buffer.from(body),
          properties: { correlationId: randomUUID(), replyTo: replyId, ...props },
        });
        return { transport, replies, close: async () => (await consumer.cancel(), await transport.close()) };
      };

      const deadLettered = async (transport: ReturnType<typeof createTransport>) => {
        const found: Delivery[] = [];
        await transport.assertQueue('rpc-bank.dead-letter', { durable: true });
        await transport.consume('rpc-bank.dead-letter', (d) => (found.push(d), d.ack()), { prefetch: 0 });
        await waitFor(() => found.length > 0);
        return found;
      };

      it('answers invalid JSON with MalformedRequest and dead-letters it, then serves the next call', async () => {
        await startBank();
        const raw = await publishRaw({ contentType: 'application/json' }, '{"args": [');
        await waitFor(() => raw.replies.length === 1);
        const reply = JSON.parse(raw.replies[0]!.body.toString());
        expect(reply.error.exc_path).toBe('nameko.exceptions.MalformedRequest');
        const [dead] = await deadLettered(raw.transport);
        expect(dead!.body.toString()).toBe('{"args": [');
        expect(dead!.properties.headers!['x-shimeji-dead-letter-reason']).toBe('message body is not valid JSON');
        await raw.close();
        const client = await clients({ uri });
        await expect(client.service<Bank>('bank').balance('still-alive')).resolves.toMatchObject({ accountId: 'still-alive' });
      });

      it('refuses a content type other than JSON', async () => {
        await startBank();
        const raw = await publishRaw({ contentType: 'application/x-python-serialize' }, 'gASVAAAA');
        await waitFor(() => raw.replies.length === 1);
        expect(JSON.parse(raw.replies[0]!.body.toString()).error.exc_type).toBe(MalformedRequest.name);
        const [dead] = await deadLettered(raw.transport);
        expect(String(dead!.properties.headers!['x-shimeji-dead-letter-reason'])).toMatch(/unsupported content type/);
        await raw.close();
      });

      it('dead-letters a request without reply_to instead of dying on it', async () => {
        await startBank();
        const raw = await publishRaw({ contentType: 'application/json', replyTo: undefined }, '{"args": ["x"], "kwargs": {}}');
        const [dead] = await deadLettered(raw.transport);
        expect(dead!.properties.headers!['x-shimeji-dead-letter-reason']).toBe('RPC request has no reply_to');
        expect(dead!.properties.headers!['x-shimeji-original-routing-key']).toBe('bank.balance');
        await raw.close();
        const client = await clients({ uri });
        await expect(client.service<Bank>('bank').balance('after')).resolves.toMatchObject({ accountId: 'after' });
      });
    });
  });
}
