// What a worker knows about the call it serves: its call id, the chain of calls that led to it,
// and context data (user_id, language, auth_token, …) that travels with every call it makes.
import { randomUUID } from 'node:crypto';
import { CALL_ID_STACK_HEADER, CALL_ID_STACK_KEY, contextHeader, HEADER_PREFIX } from './constants';
import type { Headers } from './transport/transport';
import { AUTH_TOKEN_KEY, type Identity } from './access-tokens';

export type ContextData = Record<string, unknown>;

/** The broker message a worker serves, when an entrypoint fired on one. */
export interface WorkerMessage {
  /** The message's `message_id` (our events carry one), for idempotent consumers. */
  id?: string;
  /** An RPC request's `correlation_id`: the same when the broker delivers the request again. */
  correlationId?: string;
  redelivered: boolean;
}

export class WorkerContext {
  readonly callId: string;
  readonly callIdStack: readonly string[];
  readonly parentCallIdStack: readonly string[];
  /** Set by the entrypoint that fired on a message. */
  message?: WorkerMessage;
  /** The entrypoint this worker runs for (an rpc, an event handler, a timer…). */
  entrypoint?: unknown;
  /**
   * Who called, from the verified access token of the call the worker serves. Unset for work no
   * caller started (events, timers): such a worker acts as its own service.
   */
  identity?: Identity;

  constructor(
    readonly serviceName: string,
    readonly methodName: string,
    readonly args: readonly unknown[],
    readonly data: Readonly<ContextData> = {},
    parentCallIdStack: readonly string[] = [],
    parentCallsTracked = 10,
    callId?: string,
  ) {
    this.callId = callId ?? `${serviceName}.${methodName}.${randomUUID()}`;
    // As Nameko: up to `parentCallsTracked` ancestors are kept, plus this call's own id.
    this.parentCallIdStack = parentCallIdStack.slice(-parentCallsTracked);
    this.callIdStack = [...this.parentCallIdStack, this.callId];
  }

  get immediateParentCallId(): string | undefined {
    return this.parentCallIdStack[this.parentCallIdStack.length - 1];
  }

  /**
   * Headers that carry this context on the events the worker dispatches: all of it but the access
   * token. An event is a fact, not a request: its handlers act as their own service, and a token
   * has no business waiting in queues and dead letters.
   */
  toHeaders(): Headers {
    if (!(AUTH_TOKEN_KEY in this.data)) return contextToHeaders(this.data, this.callIdStack);
    const { [AUTH_TOKEN_KEY]: _token, ...rest } = this.data;
    return contextToHeaders(rest, this.callIdStack);
  }
}

export function contextToHeaders(data: Readonly<ContextData>, callIdStack: readonly string[]): Headers {
  const headers: Headers = {};
  for (const [key, value] of Object.entries(data)) {
    if (value !== undefined && value !== null) headers[contextHeader(key)] = value;
  }
  headers[CALL_ID_STACK_HEADER] = [...callIdStack];
  return headers;
}

/** Reads `nameko.*` headers back into context data and the parent call stack. */
export function contextFromHeaders(headers: Headers | undefined): { data: ContextData; callIdStack: string[] } {
  const data: ContextData = {};
  let callIdStack: string[] = [];
  const prefix = `${HEADER_PREFIX}.`;
  for (const [key, raw] of Object.entries(headers ?? {})) {
    if (!key.startsWith(prefix)) continue;
    const name = key.slice(prefix.length);
    const value = Buffer.isBuffer(raw) ? raw.toString('utf8') : raw;
    if (name === CALL_ID_STACK_KEY) {
      callIdStack = Array.isArray(value) ? value.map((v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v))) : [];
    } else {
      data[name] = value;
    }
  }
  return { data, callIdStack };
}
