// For facade tests: a fake RPC client: answers per `service.method`, and records every call with its options.
import type { CallOptions, RpcClient } from '../rpc';

export interface RecordedCall {
  service: string;
  method: string;
  args: unknown[];
  options: CallOptions | undefined;
}

type Answer = (...args: any[]) => unknown;

export class FakeRpc implements RpcClient {
  readonly calls: RecordedCall[] = [];
  private readonly answers = new Map<string, Answer>();

  answer(target: string, fn: Answer): this {
    this.answers.set(target, fn);
    return this;
  }

  async call(service: string, method: string, args: unknown[] = [], options?: CallOptions): Promise<unknown> {
    this.calls.push({ service, method, args, options });
    const fn = this.answers.get(`${service}.${method}`);
    if (!fn) throw new Error(`the fake has no answer for ${service}.${method}`);
    return fn(...args);
  }

  called(target: string): RecordedCall[] {
    return this.calls.filter((c) => `${c.service}.${c.method}` === target);
  }
}

