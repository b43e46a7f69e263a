// How the suite talks to a facade: real HTTP with fetch, every reply with the RPCs the facade
// sent while answering it (a counting proxy around its real RPC client), and tokens as another
// issuer would sign them.
import { createHmac } from 'node:crypto';
import type { CallOptions, RpcClient } from '@platform/http';

/** A facade's real RPC client, counting what it sends: "no RPC was sent" is a fact to assert. */
export class CountingRpc implements RpcClient {
  /** Every call, as `service.method`, oldest first. */
  readonly calls: string[] = [];

  constructor(private readonly inner: RpcClient) {}

  get transport(): RpcClient['transport'] {
    return this.inner.transport;
  }

  call(service: string, method: string, args?: unknown[], options?: CallOptions): Promise<unknown> {
    this.calls.push(`${service}.${method}`);
    return this.inner.call(service, method, args, options);
  }
}

export interface Reply {
  status: number;
  /** The parsed JSON body (undefined when empty, the text when it is not JSON). */
  body: any;
  headers: Headers;
  /** The RPCs the facade sent between the request and its reply (requests are sequential). */
  rpcCalls: string[];
}

export interface RequestOptions {
  token?: string;
  /** Sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /** Sent as it is (malformed JSON, another content type, …). */
  body?: string;
  headers?: Record<string, string>;
}

export class FacadeClient {
  constructor(
    readonly name: string,
    readonly url: string,
    readonly rpc: CountingRpc,
  ) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    Object.assign(headers, options.headers);
    const sentBefore = this.rpc.calls.length;
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await response.text();
    return { status: response.status, body: parse(text), headers: response.headers, rpcCalls: this.rpc.calls.slice(sentBefore) };
  }

  get(path: string, token?: string): Promise<Reply> {
    return this.request('GET', path, { token });
  }

  post(path: string, json: unknown, token?: string): Promise<Reply> {
    return this.request('POST', path, { json, token });
  }

  put(path: string, json: unknown, token?: string): Promise<Reply> {
    return this.request('PUT', path, { json, token });
  }

  /** Logs in and returns the token; fails the test with the reply when it is not 200. */
  async login(email: string, password: string): Promise<string> {
    const reply = await this.post('/login', { email, password });
    if (reply.status !== 200) throw new Error(`${this.name} login of ${email}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body.token as string;
  }
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface TokenClaims {
  secret: string;
  aud: string;
  sub: string;
  role: string;
  /** Seconds since the epoch (default now). */
  iat?: number;
  /** Seconds since the epoch (default an hour after iat). */
  exp?: number;
}

/** An HS256 JWT as any issuer holding `secret` would sign it. */
export function signToken(claims: TokenClaims): string {
  const iat = claims.iat ?? Math.floor(Date.now() / 1000);
  const payload = { sub: claims.sub, role: claims.role, aud: claims.aud, iat, exp: claims.exp ?? iat + 3600 };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', claims.secret).update(unsigned).digest('base64url')}`;
}
