// Our ClusterRpcClient calls a Nameko 2.x service: the requests we publish must have the
// captured form, and the captured replies must come back to the caller as Nameko's would.
import { ErrorRegistry, IncorrectSignature, MethodNotFound, RemoteError, UnknownService } from '../../src';
import { rpcClientFactory, testBrokerUri } from '../../src/testing';
import { type CapturedMessage, DIRECT_REPLY, UUID, asCaptured, fixture, withoutRaw } from './fixtures';
import { namekoPeers, uniqueName } from './nameko-peer';
import { RegisteredError } from './wire-service';

const request = fixture('rpc-request.json').message as CapturedMessage;
const reply = fixture('rpc-reply.json').message as CapturedMessage;
const errorReply = fixture('rpc-error-reply.json');
const builtin = fixture('rpc-error-replies-builtin.json').cases;
const callAsync = fixture('rpc-call-async.json').messages_in_wire_order as CapturedMessage[];

const CONTEXT = { language: 'en-gb', user_id: 'u-1', custom_key: 'custom' };
const STANDALONE_CALL_ID = /^standalone_rpc_proxy\.call\.[0-9a-f-]{36}$/;

/** The methods of the capture's echo service that these tests call. */
interface NamekoEcho {
  echo(...args: unknown[]): unknown;
  fail(msg: string): unknown;
  fail_registered(msg: string): unknown;
  no_such_method(...args: unknown[]): unknown;
  unserializable(): unknown;
}

describe('Our client calls a Nameko service', () => {
  const clients = rpcClientFactory({ uri: testBrokerUri(), timeoutMs: 5000, contextData: CONTEXT });
  const peers = namekoPeers();

  /** A Nameko `echo` service's queue, played by the peer, and a client of ours calling it. */
  async function namekoEcho(errors?: ErrorRegistry) {
    const name = uniqueName('echo');
    const peer = await peers();
    const requests = await peer.serviceQueue(name);
    const client = await clients(errors ? { errors } : {});
    return { name, peer, requests, echo: client.service<NamekoEcho>(name) };
  }

  /** Calls `method`, checks the request's routing key and answers it with a captured reply body. */
  async function answeredWith(method: keyof NamekoEcho, args: unknown[], replyBodyRaw: string, errors?: ErrorRegistry) {
    const { name, peer, requests, echo } = await namekoEcho(errors);
    const outcome = (echo[method] as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => error);
    const sent = await requests.next();
    expect(sent.fields.routingKey).toBe(`${name}.${method}`);
    await peer.reply(sent, reply, replyBodyRaw);
    return outcome;
  }

  it('sends a request in the form a Nameko standalone proxy sends', async () => {
    const { name, peer, requests, echo } = await namekoEcho();

    const result = echo.echo(request.body.args[0]);
    const sent = await requests.next();

    expect(asCaptured(sent)).toEqual({
      ...withoutRaw(request),
      routing_key: `${name}.echo`,
      properties: { ...request.properties, correlation_id: expect.stringMatching(UUID), reply_to: expect.stringMatching(UUID) },
      headers: { ...request.headers, 'nameko.call_id_stack': [expect.stringMatching(STANDALONE_CALL_ID)] },
    });
    await peer.reply(sent, reply);
    await expect(result).resolves.toEqual(reply.body.result);
  });

  it('adds only its direct reply address when its calls fail while disconnected, and takes the Nameko reply through reply_to', async () => {
    const name = uniqueName('echo');
    const peer = await peers();
    const requests = await peer.serviceQueue(name);
    const echo = (await clients({ whileDisconnected: 'fail' })).service<NamekoEcho>(name);

    const result = echo.echo(request.body.args[0]);
    const sent = await requests.next();

    expect(asCaptured(sent)).toEqual({
      ...withoutRaw(request),
      routing_key: `${name}.echo`,
      properties: { ...request.properties, correlation_id: expect.stringMatching(UUID), reply_to: expect.stringMatching(UUID) },
      headers: { ...request.headers, 'nameko.call_id_stack': [expect.stringMatching(STANDALONE_CALL_ID)], ...DIRECT_REPLY },
    });
    await peer.reply(sent, reply);
    await expect(result).resolves.toEqual(reply.body.result);
  });

  it('sends keyword arguments as Nameko kwargs', async () => {
    const kwargsForm = fixture('rpc-request.json').also_kwargs_form as CapturedMessage;
    const { peer, requests, echo } = await namekoEcho();

    const result = echo.$with({ kwargs: { x: 'by-kwarg' } }).echo();
    const sent = await requests.next();

    expect(asCaptured(sent).body).toEqual(kwargsForm.body);
    await peer.reply(sent, reply, '{"result": "by-kwarg", "error": null}');
    await expect(result).resolves.toBe('by-kwarg');
  });

  it('matches replies answered out of order to three calls in flight, by correlation id', async () => {
    const capturedRequests = callAsync.filter((m) => m.properties.reply_to !== undefined);
    const capturedReplyTo = (sent: CapturedMessage) =>
      callAsync.find((m) => m.properties.reply_to === undefined && m.properties.correlation_id === sent.properties.correlation_id)!;
    const { peer, requests, echo } = await namekoEcho();

    const results = Promise.all(capturedRequests.map((r) => echo.echo(r.body.args[0])));
    const sent = await requests.take(capturedRequests.length);

    expect(sent.map((m) => asCaptured(m).body)).toEqual(capturedRequests.map((r) => r.body));
    expect(new Set(sent.map((m) => m.properties.replyTo)).size).toBe(1);
    expect(new Set(sent.map((m) => m.properties.correlationId)).size).toBe(3);
    for (const i of [2, 0, 1]) await peer.reply(sent[i]!, capturedReplyTo(capturedRequests[i]!));
    await expect(results).resolves.toEqual([0, 1, 2]);
  });

  it('turns a registered error into the class the client registered for its exc_path', async () => {
    const { reply: captured, caller_outcome } = builtin['echo.fail_registered'];
    const registry = new ErrorRegistry().register('wire_service.RegisteredError', RegisteredError);

    const error = await answeredWith('fail_registered', ['reg'], captured.body_raw, registry);

    expect(error).toBeInstanceOf(RegisteredError);
    expect(error).toMatchObject({ message: caller_outcome.str, args: caller_outcome.args });
  });

  it.each([
    ['MethodNotFound', MethodNotFound, 'echo.no_such_method', 'no_such_method', [1]],
    ['IncorrectSignature', IncorrectSignature, 'echo.echo(1,2,3)', 'echo', [1, 2, 3]],
  ] as const)("raises our own %s for Nameko's", async (_, cls, key, method, args) => {
    const { reply: captured, caller_outcome } = builtin[key];

    const error = await answeredWith(method, [...args], captured.body_raw);

    expect(error).toBeInstanceOf(cls);
    expect(error).toMatchObject({ message: caller_outcome.str, args: caller_outcome.args });
  });

  it("raises a RemoteError with Nameko's text for UnserializableValueError", async () => {
    const { reply: captured, caller_outcome } = builtin['echo.unserializable'];

    const error = await answeredWith('unserializable', [], captured.body_raw);

    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ message: caller_outcome.str, excType: 'UnserializableValueError', excArgs: [] });
  });

  it("raises a RemoteError with Nameko's text for an error the client did not register", async () => {
    const error = await answeredWith('fail', ['boom'], errorReply.message.body_raw);

    expect(error).toBeInstanceOf(RemoteError);
    // The capture's scenario: the caller raises RemoteError("EchoError ('boom', 42)").
    expect(error).toMatchObject({ message: "EchoError ('boom', 42)", excPath: 'wire_service.EchoError', excArgs: ['boom', '42'] });
  });

  it('fails at once with UnknownService when no queue is bound for the service', async () => {
    const { caller_outcome } = builtin.unknown_service;
    const ghost = uniqueName('ghost');
    const client = await clients();

    const error = await client.service<{ anything(): unknown }>(ghost).anything().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(UnknownService);
    expect(error).toMatchObject({ message: caller_outcome.str.replace('ghost', ghost), args: [ghost] });
  });

  it('sends a bigint argument as its digits and reads a big integer in a reply as a bigint', async () => {
    const { peer, requests, echo } = await namekoEcho();
    const big = 2n ** 63n - 1n;

    const result = echo.echo({ id: big, n: 1 });
    const sent = await requests.next();

    expect(sent.content.toString('utf8')).toBe(`{"args":[{"id":${big},"n":1}],"kwargs":{}}`);
    await peer.reply(sent, reply, `{"result": {"id": ${big}, "n": 1}, "error": null}`);
    await expect(result).resolves.toEqual({ id: big, n: 1 });
  });
});
