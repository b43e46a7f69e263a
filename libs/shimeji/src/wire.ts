// The JSON bodies of Nameko's RPC protocol: requests `{args, kwargs}`, replies `{result, error}`.
//
// Integers a JavaScript number cannot hold exactly (beyond ±2^53 - 1: Python's ids and amounts
// can be) arrive as `bigint` and leave as the same digits, never rounded. Only a body that holds
// a run of 16 digits or more takes the slower lossless parser; every other keeps JSON.parse.
import { parse as losslessParse, stringify as losslessStringify } from 'lossless-json';
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

/** delivery_mode 1: the broker keeps the message in memory only. */
export const TRANSIENT = 1;

// Shared by every reply; amqplib only reads it. Frozen so that nothing can write into it.
const NO_HEADERS = Object.freeze({}) as Record<string, unknown>;

/**
 * The properties of an RPC reply as one fixed-shape literal: the same fields as
 * `jsonProperties({ correlationId, headers: {} })` without the spread and the two extra objects
 * per call. `correlationId` undefined is left out of the frame, as amqplib skips undefined fields.
 */
export function replyProperties(correlationId: string | undefined, deliveryMode: number): MessageProperties {
  return { contentType: JSON_CONTENT_TYPE, contentEncoding: UTF8, deliveryMode, priority: 0, correlationId, headers: NO_HEADERS };
}

export function encodeJson(value: unknown): Buffer {
  const json = value === undefined ? null : value;
  let text: string | undefined;
  try {
    text = JSON.stringify(json);
  } catch (error) {
    if (!isBigIntRefusal(error)) throw new UnserializableValueError(`Unserializable value: ${(error as Error).message}`);
    try {
      text = losslessStringify(json);
    } catch (again) {
      throw new UnserializableValueError(`Unserializable value: ${(again as Error).message}`);
    }
  }
  return Buffer.from(text ?? 'null', 'utf8');
}

const isBigIntRefusal = (error: unknown) => error instanceof TypeError && /BigInt/.test(error.message);

/** A run of digits long enough to be an integer beyond a number's exact range (2^53 has 16). */
const LONG_DIGITS = /\d{16}/;
const INTEGER = /^-?\d+$/;

function losslessNumber(text: string): number | bigint {
  const value = Number(text);
  return INTEGER.test(text) && !Number.isSafeInteger(value) ? BigInt(text) : value;
}

/** JSON.parse, except that integers beyond a number's exact range are `bigint`s. */
export function parseJson(text: string): unknown {
  return LONG_DIGITS.test(text) ? losslessParse(text, null, losslessNumber) : JSON.parse(text);
}

/** Parses a message body, accepting only JSON (or no declared type, read as JSON). */
export function decodeJson(body: Buffer, properties: MessageProperties): unknown {
  const type = properties.contentType;
  if (type !== undefined && type !== JSON_CONTENT_TYPE) {
    throw new MalformedRequest(`unsupported content type "${type}": only ${JSON_CONTENT_TYPE} is accepted`);
  }
  try {
    return parseJson(body.toString('utf8'));
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
