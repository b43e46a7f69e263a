// A fake RPC client: answers per `service.method`, and records every call with its options.
import type { CallOptions, RpcClient } from '@platform/http';

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

export const NOW = '2026-01-01T00:00:00.000Z';

export function aUser(overrides: Record<string, unknown> = {}) {
  return { id: 'u1', email: 'ann@example.com', name: 'Ann', role: 'admin', status: 'active', created_at: NOW, ...overrides };
}

export function aProject(overrides: Record<string, unknown> = {}) {
  return { id: 'p1', name: 'Kitchen', description: null, owner_id: 'u2', version: 1, member_count: 2, created_at: NOW, ...overrides };
}

export function anOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: 'o1',
    project_id: 'p1',
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    status: 'awaiting_payment',
    placed_by: 'u2',
    version: 1,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function aTransaction(overrides: Record<string, unknown> = {}) {
  return {
    id: 't1',
    order_id: 'o1',
    project_id: 'p1',
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    state: 'paid',
    attempt: 1,
    payment_intent_id: null,
    payment_method_id: 'pm_1',
    paid_by: 'u2',
    failure_reason: null,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}
