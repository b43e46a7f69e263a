// The captured Nameko 2.x messages (fixtures/nameko, recorded data; its README says how) and the means to compare what we put
// on the wire with them: a received amqplib message is turned into the capture's own form.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type * as amqp from 'amqplib';

/** Kept inside the repository, so a clone anywhere runs the wire suites. */
export const FIXTURES_DIR = path.resolve(__dirname, 'fixtures/nameko');

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The one header our requests carry beyond Nameko's: where a shimeji service may answer straight
 * to the caller's connection (RabbitMQ's direct reply-to). Outside the `nameko.` prefix, so a Nameko
 * service neither reads nor forwards it, and answers through `reply_to` as the captures show.
 */
export const DIRECT_REPLY = { 'x-shimeji-direct-reply-to': expect.stringMatching(/^amq\.rabbitmq\.reply-to\.\S+$/) };

export interface CapturedProperties {
  content_type?: string;
  content_encoding?: string;
  delivery_mode?: number;
  priority?: number;
  correlation_id?: string;
  reply_to?: string;
}

/** One message as the capture lists it. */
export interface CapturedMessage {
  exchange: string;
  routing_key: string;
  properties: CapturedProperties;
  headers: Record<string, unknown> | null;
  body: any;
  body_raw: string;
}

export function fixture(name: string): any {
  return JSON.parse(readFileSync(path.join(FIXTURES_DIR, name), 'utf8'));
}

/** The capture's form without `body_raw`: Python's json.dumps spaces its separators, we do not. */
export function withoutRaw({ body_raw: _raw, ...rest }: CapturedMessage): Omit<CapturedMessage, 'body_raw'> {
  return rest;
}

const PROPERTY_NAMES: Record<string, string> = {
  contentType: 'content_type',
  contentEncoding: 'content_encoding',
  deliveryMode: 'delivery_mode',
  priority: 'priority',
  correlationId: 'correlation_id',
  replyTo: 'reply_to',
  expiration: 'expiration',
  messageId: 'message_id',
  timestamp: 'timestamp',
  type: 'type',
  userId: 'user_id',
  appId: 'app_id',
  clusterId: 'cluster_id',
};

/** A received message in the capture's form: only the properties that are present, body parsed. */
export function asCaptured(message: amqp.Message): Omit<CapturedMessage, 'body_raw'> {
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message.properties)) {
    if (key !== 'headers' && value !== undefined) properties[PROPERTY_NAMES[key] ?? key] = value;
  }
  return {
    exchange: message.fields.exchange,
    routing_key: message.fields.routingKey,
    properties,
    headers: (message.properties.headers as Record<string, unknown> | undefined) ?? null,
    body: JSON.parse(message.content.toString('utf8')),
  };
}

/** amqplib publish options carrying a captured message's properties and headers. */
export function publishOptions(message: CapturedMessage, overrides: amqp.Options.Publish = {}): amqp.Options.Publish {
  const p = message.properties;
  return {
    contentType: p.content_type,
    contentEncoding: p.content_encoding,
    deliveryMode: p.delivery_mode,
    priority: p.priority,
    correlationId: p.correlation_id,
    replyTo: p.reply_to,
    headers: message.headers ?? undefined,
    ...overrides,
  };
}

/** `echo.echo` captured, `<service>.echo` for the uniquely named service a test hosts. */
export function forService(routingKey: string, service: string): string {
  return routingKey.replace(/^[^.]+/, service);
}
