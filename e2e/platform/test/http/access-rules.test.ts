// Services trust no caller on the broker. Generated from the services' own definitions, so a new
// endpoint without a declared rule fails here: every RPC method of every service, called with no
// token, an expired one, one signed with another key, one for another audience and one with a
// role its rule refuses, is refused before its worker runs (nothing written anywhere), and served
// with the right one. Then a raw amqplib client, as anyone on the broker could be, tries to
// refund a paid order and to read another customer's transactions.
import { randomUUID } from 'node:crypto';
import { MessagingService } from '@platform/messaging-service';
import { PaymentService } from '@platform/payment-service';
import { ProjectService } from '@platform/project-service';
import {
  type AllowRule,
  ClusterRpcClient,
  Forbidden,
  getServiceDefinition,
  NotAuthorized,
  RpcEntrypoint,
  type ServiceClass,
} from '@platform/shimeji';
import { accessToken, ed25519Pair, serviceToken, testBrokerUri } from '@platform/shimeji/testing';
import { UserService } from '@platform/user-service';
import * as amqp from 'amqplib';
import { usePlatform } from './harness';
import { addCard, createProject, payOrder, placeOrder } from './steps';

const SERVICES: Record<string, ServiceClass> = { user: UserService, project: ProjectService, payment: PaymentService, messaging: MessagingService };
const ROLES = ['guest', 'customer', 'support', 'admin', 'service'];

interface Method {
  service: string;
  method: string;
  allow?: AllowRule;
  parameters: string[];
}

/** Every @rpc of every service, read from its definition as the container reads it. */
const METHODS: Method[] = Object.entries(SERVICES).flatMap(([service, cls]) =>
  getServiceDefinition(cls)
    .entrypoints.map((declaration) => ({ declaration, entrypoint: declaration.create() }))
    .filter(({ entrypoint }) => entrypoint instanceof RpcEntrypoint)
    .map(({ declaration, entrypoint }) => ({
      service,
      method: declaration.methodName,
      allow: entrypoint.options.allow,
      parameters: (entrypoint.options.args?.parameters ?? []).map((p) => p.name ?? ''),
    })),
);

const ruleOf = (allow: AllowRule) =>
  allow === 'anyone' ? { anyone: true, roles: ROLES } : Array.isArray(allow) ? { roles: allow as string[] } : (allow as { roles?: string[]; self?: string; actor?: string });

/** Arguments that bind, with the rule's self or actor argument set to `sub`. */
function argumentsFor({ parameters, allow }: Method, sub: string): unknown[] {
  const { self, actor } = ruleOf(allow!) as { self?: string; actor?: string };
  return parameters.map((name) => {
    if (name === self || name === actor) return sub;
    if (/Ids$/.test(name)) return [randomUUID()];
    if (/Id$/.test(name)) return randomUUID();
    if (/^page/.test(name)) return 1;
    if (name === 'amount') return 1500;
    if (name === 'currency') return 'EUR';
    if (name === 'email') return `access-${randomUUID().slice(0, 8)}@example.com`;
    return 'access table';
  });
}

/** The caller the rule lets in: its first role (a user's own self when it names none). */
function rightCaller({ allow }: Method): { role: string; sub: string } {
  const rule = ruleOf(allow!);
  const role = rule.roles?.find((r) => r !== 'service') ?? rule.roles?.[0] ?? 'customer';
  return { role, sub: role === 'service' ? 'service:access-table' : randomUUID() };
}

const tokenFor = async (caller: { role: string; sub: string }, changes: { ttlMs?: number; privateKey?: string; audience?: string } = {}) =>
  caller.role === 'service' && Object.keys(changes).length === 0
    ? serviceToken('access-table')
    : accessToken({ sub: caller.sub, role: caller.role, audience: 'admin', ...changes });

// One platform for the file: both parts would share its queues and databases anyway.
const platform = usePlatform();

describe('the access rule of every RPC method', () => {
  let client: ClusterRpcClient;

  beforeAll(async () => {
    client = await ClusterRpcClient.connect({ uri: testBrokerUri(), timeoutMs: 30_000 });
  });

  afterAll(async () => {
    await client?.close();
  });

  const call = (m: Method, args: unknown[], token?: string) =>
    client.call(m.service, m.method, args, token === undefined ? {} : { contextData: { auth_token: token } }).then(
      () => undefined,
      (error: unknown) => error,
    );

  it('covers all four services', () => {
    expect(new Set(METHODS.map((m) => m.service))).toEqual(new Set(Object.keys(SERVICES)));
    expect(METHODS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(METHODS.map((m) => [`${m.service}.${m.method}`, m] as const))('%s declares who may call it', (_name, m) => {
    expect(m.allow).toBeDefined();
  });

  it.each(METHODS.map((m) => [`${m.service}.${m.method}`, m] as const))(
    '%s refuses every wrong token before its worker runs, and serves the right one',
    async (_name, m) => {
      const right = rightCaller(m);
      const args = argumentsFor(m, right.sub);
      const before = await platform.settledRowCounts();

      const refusals: [string, string | undefined, typeof NotAuthorized | typeof Forbidden][] = [
        ['no token', undefined, NotAuthorized],
        ['expired', await tokenFor(right, { ttlMs: -60_000 }), NotAuthorized],
        ['wrong key', await tokenFor(right, { privateKey: ed25519Pair().privateKey }), NotAuthorized],
        ['another audience', await tokenFor(right, { audience: 'partner-portal' }), NotAuthorized],
      ];
      const rule = ruleOf(m.allow!);
      const wrongRole = ROLES.find((role) => !(rule.roles ?? []).includes(role));
      // Another user in a role the rule refuses (never the one its self or actor argument names).
      if (wrongRole) refusals.push([`role ${wrongRole}`, await tokenFor({ role: wrongRole, sub: randomUUID() }), Forbidden]);

      for (const [what, token, refusedWith] of refusals) {
        const error = await call(m, args, token);
        expect([what, error]).toEqual([what, expect.any(refusedWith)]);
      }
      expect(await platform.rowCounts()).toEqual(before);

      // The right caller passes the rule: whatever the domain then says, it is not a refusal.
      const served = await call(m, args, await tokenFor(right));
      expect(served).not.toBeInstanceOf(NotAuthorized);
      expect(served).not.toBeInstanceOf(Forbidden);
    },
  );
});

describe('a raw client on the broker', () => {
  /** Publishes a well-formed Nameko request with plain amqplib and returns the reply body. */
  async function rawCall(routingKey: string, args: unknown[], headers: Record<string, unknown> = {}) {
    const connection = await amqp.connect(testBrokerUri());
    try {
      const channel = await connection.createChannel();
      const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
      await channel.bindQueue(queue, 'nameko-rpc', queue);
      const correlationId = randomUUID();
      const reply = new Promise<unknown>((resolve) => {
        void channel.consume(queue, (message) => {
          if (message?.properties.correlationId === correlationId) resolve(JSON.parse(message.content.toString('utf8')));
        });
      });
      channel.publish('nameko-rpc', routingKey, Buffer.from(JSON.stringify({ args, kwargs: {} })), {
        replyTo: queue,
        correlationId,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        headers,
      });
      return (await reply) as { result: unknown; error: { exc_type: string } | null };
    } finally {
      await connection.close();
    }
  }

  it('cannot refund a paid order, nor read another customer’s transactions', async () => {
    const ann = await platform.signUp('Ann');
    const bob = await platform.signUp('Bob');
    const project = await createProject(platform, ann, 'Garden');
    const order = await placeOrder(platform, ann, project, 'Seeds');
    await payOrder(platform, ann, order, await addCard(platform, ann));
    const chargedBefore = platform.stripe.charges().length;

    const forgedAdmin = await accessToken({ sub: randomUUID(), role: 'admin', audience: 'admin', privateKey: ed25519Pair().privateKey });
    const annAsHerself = await accessToken({ sub: ann.id, role: 'customer' });
    const refund = (headers: Record<string, unknown>, actorId: string) => rawCall('payment.refundPayment', [order.id, 'I want my money', actorId], headers);
    expect((await refund({}, randomUUID())).error?.exc_type).toBe('NotAuthorized');
    expect((await refund({ 'nameko.auth_token': forgedAdmin }, randomUUID())).error?.exc_type).toBe('NotAuthorized');
    expect((await refund({ 'nameko.auth_token': annAsHerself }, ann.id)).error?.exc_type).toBe('Forbidden');

    const bobAsHimself = await accessToken({ sub: bob.id, role: 'customer' });
    expect((await rawCall('payment.getTransactionsByOrderId', [[order.id]])).error?.exc_type).toBe('NotAuthorized');
    expect((await rawCall('payment.getTransactionsByOrderId', [[order.id]], { 'nameko.auth_token': bobAsHimself })).error?.exc_type).toBe('Forbidden');
    expect((await rawCall('payment.listPaymentMethods', [ann.id], { 'nameko.auth_token': bobAsHimself })).error?.exc_type).toBe('Forbidden');

    // Nothing moved: no refund at Stripe, the transaction still paid, the card list unread.
    expect(platform.stripe.refunds()).toHaveLength(0);
    expect(platform.stripe.charges()).toHaveLength(chargedBefore);
    const [transaction] = await platform.db('payment')('transactions').where({ order_id: order.id });
    expect(transaction.state).toBe('paid');
  });
});
