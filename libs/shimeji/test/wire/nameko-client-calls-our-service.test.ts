// A Nameko 2.x client calls a service of ours: the captured requests, byte for byte, must get
// the captured replies (exchange, routing key, properties, headers and body).
import { containerFactory, entrypointWaiter, testBrokerUri } from '../../src/testing';
import { type CapturedMessage, asCaptured, fixture, forService, withoutRaw } from './fixtures';
import { NAMEKO_RPC, namekoPeers, uniqueName } from './nameko-peer';
import { echoService } from './wire-service';

const request = fixture('rpc-request.json');
const reply = fixture('rpc-reply.json');
const errorReply = fixture('rpc-error-reply.json');
const builtin = fixture('rpc-error-replies-builtin.json').cases;

/**
 * The one field in which our replies differ from Nameko's captured ones: delivery_mode 1
 * (transient) where Nameko's Responder sends 2. It is still Nameko-compatible: kombu decodes a
 * body by content_type and content_encoding alone, and Nameko's ReplyListener
 * (nameko/rpc.py, handle_message) reads only the body and correlation_id before acking; nothing
 * on the consuming side looks at delivery_mode. It only tells the broker whether to write the
 * message to disk, which a reply, read at once by a caller waiting now, does not need
 * (bench/rpc/last-run-reply-levers.md). Requests stay persistent (our-client-calls-nameko-service).
 */
const REPLY_DELIVERY_MODE = 1;

/** A captured Nameko reply as we send it: the same in every field but delivery_mode. */
function ourReply(captured: CapturedMessage) {
  const { properties, ...rest } = withoutRaw(captured);
  return { ...rest, properties: { ...properties, delivery_mode: REPLY_DELIVERY_MODE } };
}

describe('A Nameko client calls our service', () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri() });
  const peers = namekoPeers();

  async function hostEcho() {
    const name = uniqueName('echo');
    const container = containers(echoService(name));
    await container.start();
    return { name, container };
  }

  /** Sends a captured request as a Nameko standalone proxy does and returns the reply. */
  async function send(captured: CapturedMessage, service: string) {
    const peer = await peers();
    peer.deleteOnClose(`rpc-${service}`);
    const replies = await peer.replyQueue();
    await peer.publishCaptured(captured, forService(captured.routing_key, service), { replyTo: replies.replyTo });
    return { replyTo: replies.replyTo, reply: await replies.next() };
  }

  const sendToEcho = async (captured: CapturedMessage) => send(captured, (await hostEcho()).name);

  /** The reply Nameko's Responder publishes (to nameko-rpc, keyed by reply_to, no reply_to of its own, headers {}), transient. */
  function namekoReply(to: CapturedMessage, replyTo: string, body: unknown) {
    return {
      exchange: NAMEKO_RPC,
      routing_key: replyTo,
      properties: {
        content_type: 'application/json',
        content_encoding: 'utf-8',
        delivery_mode: REPLY_DELIVERY_MODE,
        priority: 0,
        correlation_id: to.properties.correlation_id,
      },
      headers: {},
      body,
    };
  }

  it("answers a Nameko client's captured request with the captured reply", async () => {
    const { replyTo, reply: got } = await sendToEcho(request.message);

    expect(asCaptured(got)).toEqual({ ...ourReply(reply.message), routing_key: replyTo });
  });

  it('reads context data and the call id stack from the captured nameko.* headers', async () => {
    const { name, container } = await hostEcho();
    const finished = entrypointWaiter(container, 'echo');

    await send(request.message, name);

    const { ctx } = await finished;
    expect(ctx.data).toEqual({ language: 'en-gb', user_id: 'u-1', custom_key: 'custom' });
    expect(ctx.callIdStack).toEqual([
      ...request.message.headers['nameko.call_id_stack'],
      expect.stringMatching(new RegExp(`^${name}\\.echo\\.[0-9a-f-]{36}$`)),
    ]);
  });

  it('binds the captured kwargs form to the parameter of the same name', async () => {
    const kwargsForm: CapturedMessage = request.also_kwargs_form;
    const { replyTo, reply: got } = await sendToEcho(kwargsForm);

    expect(asCaptured(got)).toEqual(namekoReply(kwargsForm, replyTo, { result: 'by-kwarg', error: null }));
  });

  it('replies with a registered error exactly as Nameko serializes it', async () => {
    const { request: sent, reply: expected } = builtin['echo.fail_registered'];
    const { replyTo, reply: got } = await sendToEcho(sent);

    expect(asCaptured(got)).toEqual({ ...ourReply(expected), routing_key: replyTo });
  });

  it('replies MethodNotFound exactly as Nameko does for a method it does not expose', async () => {
    const { request: sent, reply: expected } = builtin['echo.no_such_method'];
    const { replyTo, reply: got } = await sendToEcho(sent);

    expect(asCaptured(got)).toEqual({ ...ourReply(expected), routing_key: replyTo });
  });

  it('replies MalformedRequest exactly as Nameko does to a body without args and kwargs', async () => {
    const { request: sent, reply_body: expected } = builtin.malformed;
    const { replyTo, reply: got } = await sendToEcho(sent);

    expect(asCaptured(got)).toEqual(namekoReply(sent, replyTo, expected));
  });

  it("replies IncorrectSignature in Nameko's form when the arguments do not fit", async () => {
    const { request: sent, reply: expected } = builtin['echo.echo(1,2,3)'];
    const { replyTo, reply: got } = await sendToEcho(sent);

    const { body } = asCaptured(got);
    expect(asCaptured(got)).toEqual({ ...ourReply(expected), routing_key: replyTo, body });
    // Python counts `self` ("takes 2 … but 4 were given"); the text is ours, the form is Nameko's.
    expect(body).toEqual({
      result: null,
      error: { ...expected.body.error, exc_args: [body.error.value], value: expect.stringMatching(/^echo\(\) /) },
    });
  });

  it("replies UnserializableValueError in Nameko's form when the result is not JSON", async () => {
    const { request: sent, reply: expected } = builtin['echo.unserializable'];
    const { replyTo, reply: got } = await sendToEcho(sent);

    const { body } = asCaptured(got);
    expect(asCaptured(got)).toEqual({ ...ourReply(expected), routing_key: replyTo, body });
    expect(body).toEqual({
      result: null,
      error: { ...expected.body.error, value: expect.stringMatching(/^Unserializable value/) },
    });
  });

  /** The captured request, calling `method` with `argsRaw` as Python's json.dumps writes them. */
  function requestFor(method: string, argsRaw: string): CapturedMessage {
    return { ...request.message, routing_key: `echo.${method}`, body_raw: `{"args": ${argsRaw}, "kwargs": {}}` };
  }

  it('replies to a method that returns nothing with "result": null, the key Nameko reads', async () => {
    const { replyTo, reply: got } = await sendToEcho(requestFor('nothing', '[]'));

    expect(JSON.parse(got.content.toString('utf8'))).toStrictEqual({ result: null, error: null });
    expect(asCaptured(got)).toEqual(namekoReply(request.message, replyTo, { result: null, error: null }));
  });

  it('gives the worker integers beyond 2^53 as bigints and answers with the very same digits', async () => {
    const big = '9223372036854775807'; // Python's 2**63 - 1
    const { reply: got } = await sendToEcho(requestFor('typeOf', `[{"id": ${big}, "ids": [9007199254740993, 7], "amount": 1.5}]`));

    expect(got.content.toString('utf8')).toBe(`{"result":{"type":"object","x":{"id":${big},"ids":[9007199254740993,7],"amount":1.5}},"error":null}`);
    const { reply: alone } = await sendToEcho(requestFor('typeOf', `[-${big}]`));
    expect(alone.content.toString('utf8')).toBe(`{"result":{"type":"bigint","x":-${big}},"error":null}`);
  });

  it('keeps integers a number holds exactly as numbers', async () => {
    const { reply: got } = await sendToEcho(requestFor('typeOf', '[9007199254740991]'));

    expect(JSON.parse(got.content.toString('utf8'))).toEqual({ result: { type: 'number', x: 9007199254740991 }, error: null });
  });

  it("sends an unregistered error's non-string arguments as strings, as safe_for_serialization does", async () => {
    const { replyTo, reply: got } = await sendToEcho(errorReply.request);

    const expected = errorReply.message;
    expect(asCaptured(got)).toEqual({ ...ourReply(expected), routing_key: replyTo, body: expect.any(Object) });
    const { error } = asCaptured(got).body;
    expect(Object.keys(error).sort()).toEqual(Object.keys(expected.body.error).sort());
    expect(error).toEqual({ ...expected.body.error, exc_path: expect.stringMatching(/\.EchoError$/) });
  });
});
