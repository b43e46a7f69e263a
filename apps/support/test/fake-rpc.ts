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
  return { id: 'u1', email: 'ann@example.com', name: 'Ann', role: 'customer', status: 'active', created_at: NOW, ...overrides };
}

export function aStaffMember(overrides: Record<string, unknown> = {}) {
  return aUser({ id: 's1', email: 'sam@example.com', name: 'Sam', role: 'support', ...overrides });
}

export function aProject(overrides: Record<string, unknown> = {}) {
  return { id: 'p1', name: 'Kitchen', description: null, owner_id: 'u1', version: 1, created_at: NOW, ...overrides };
}

export function anOrder(overrides: Record<string, unknown> = {}) {
  return {
    id: 'o1',
    project_id: 'p1',
    description: 'Tiles',
    amount: 1500,
    currency: 'EUR',
    status: 'paid',
    placed_by: 'u1',
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
    payment_intent_id: 'pi_1',
    payment_method_id: 'pm_1',
    paid_by: 'u1',
    failure_reason: null,
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

export function aMessage(overrides: Record<string, unknown> = {}) {
  return {
    id: 'm1',
    kind: 'order_paid_confirmation',
    recipient_id: 'u1',
    recipient_email: 'ann@example.com',
    subject: 'Your order Tiles',
    order_id: 'o1',
    project_id: 'p1',
    status: 'sent',
    smtp_message_id: '<m1@example.com>',
    attempts: 1,
    resent_of: null,
    requested_by: null,
    created_at: NOW,
    sent_at: NOW,
    ...overrides,
  };
}
