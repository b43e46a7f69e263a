// One publish on an amqplib channel, without amqplib's per-publish wrapping of the headers.
//
// amqplib's `channel.publish` hands the broker `Object.create(options.headers)`: every message's
// headers object becomes the prototype of a fresh one, and the codec then walks that chain with
// `for…in`. For a headers object made per message (every worker's call carries its own call-id
// stack, every traced call its own traceparent) V8 turns it into a prototype each time, and the
// encoding costs about 5 µs instead of under 1 (bench/rpc/observability-overhead.ts showed it as
// the largest single cost of tracing). The fields below are the ones `Args.publish` builds, for
// the options we use; the bytes on the wire are the same (test/wire/publish-frames.test.ts).
import type * as amqp from 'amqplib';
import type { MessageProperties } from './transport';

/** The internal channel methods amqplib's own `publish` is made of (present in 0.10 and 2.x). */
interface FrameSender {
  sendMessage(fields: object, properties: object, content: Buffer): boolean;
  pushConfirmCallback?(callback: (error: unknown) => void): void;
}

const NO_HEADERS: Readonly<Record<string, unknown>> = Object.freeze({});

function fieldsAndProperties(exchange: string, routingKey: string, p: MessageProperties, mandatory: boolean) {
  return {
    exchange,
    routingKey,
    mandatory,
    immediate: false,
    ticket: undefined,
    contentType: p.contentType,
    contentEncoding: p.contentEncoding,
    headers: p.headers ?? NO_HEADERS,
    deliveryMode: p.deliveryMode,
    priority: p.priority,
    correlationId: p.correlationId,
    replyTo: p.replyTo,
    expiration: undefined,
    messageId: p.messageId,
    timestamp: undefined,
    type: undefined,
    userId: undefined,
    appId: undefined,
    clusterId: undefined,
  };
}

function sender(channel: amqp.Channel): FrameSender | undefined {
  const candidate = channel as unknown as Partial<FrameSender>;
  return typeof candidate.sendMessage === 'function' ? (candidate as FrameSender) : undefined;
}

/** Whether this amqplib exposes what `publishFrames` needs (a test pins it, for upgrades). */
export function framesPublishable(channel: amqp.Channel, confirmed: boolean): boolean {
  const frames = sender(channel);
  return frames !== undefined && (!confirmed || typeof frames.pushConfirmCallback === 'function');
}

/** `channel.publish(...)` on a plain channel, the same message with cheaper headers. */
export function publishUnconfirmedFrames(channel: amqp.Channel, exchange: string, routingKey: string, body: Buffer, p: MessageProperties, mandatory: boolean): boolean {
  const fields = fieldsAndProperties(exchange, routingKey, p, mandatory);
  return sender(channel)!.sendMessage(fields, fields, body);
}

/** `confirmChannel.publish(..., callback)`: the callback gets the broker's ack (null) or nack. */
export function publishConfirmedFrames(
  channel: amqp.ConfirmChannel,
  exchange: string,
  routingKey: string,
  body: Buffer,
  p: MessageProperties,
  mandatory: boolean,
  callback: (error: unknown) => void,
): boolean {
  const frames = sender(channel)!;
  const fields = fieldsAndProperties(exchange, routingKey, p, mandatory);
  // In amqplib's order: the frames go out first, then the confirm is awaited in sequence.
  const written = frames.sendMessage(fields, fields, body);
  frames.pushConfirmCallback!(callback);
  return written;
}
