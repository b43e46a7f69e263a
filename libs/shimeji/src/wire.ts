// The JSON bodies of Nameko's RPC protocol: requests `{args, kwargs}`, replies `{result, error}`.
import { JSON_CONTENT_TYPE, PERSISTENT, UTF8 } from './constants';
import { MalformedRequest, UnserializableValueError, type WireError } from './exceptions';
import type { MessageProperties } from './transport/transport';

export interface RpcRequestBody {
  args: unknown[];
  kwargs: Record<string, unknown>;
}

export interface RpcReplyBody {
  result: unknown;
  error: WireError | null;
}

/** The properties Nameko (kombu) sets on every RPC message, requests and replies alike. */
export function jsonProperties(extra: MessageProperties): MessageProperties {
  return { contentType: JSON_CONTENT_TYPE, contentEncoding: UTF8, deliveryMode: PERSISTENT, priority: 0, ...extra };
}

export function encodeJson(value: unknown): Buffer {
  let text: string | undefined;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch (error) {
    throw new UnserializableValueError(`Unserializable value: ${(error as Error).message}`);
  }
  return Buffer.from(text ?? 'null', 'utf8');
}

/** Parses a message body, accepting only JSON (or no declared type, read as JSON). */
export function decodeJson(body: Buffer, properties: MessageProperties): unknown {
  const type = properties.contentType;
  if (type !== undefined && type !== JSON_CONTENT_TYPE) {
    throw new MalformedRequest(`unsupported content type "${type}": only ${JSON_CONTENT_TYPE} is accepted`);
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new MalformedRequest('message body is not valid JSON');
  }
}

export function parseRequestBody(decoded: unknown): RpcRequestBody {
  const body = decoded as Partial<RpcRequestBody> | null;
  if (
    body === null ||
    typeof body !== 'object' ||
    !Array.isArray(body.args) ||
    body.kwargs === null ||
    typeof body.kwargs !== 'object' ||
    Array.isArray(body.kwargs)
  ) {
    throw new MalformedRequest('Message missing `args` or `kwargs`');
  }
  return { args: body.args, kwargs: body.kwargs };
}
