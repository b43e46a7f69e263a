// Stripe's idempotency keys, per API key: the first request with a key runs, and its outcome
// (a success, or a card error: the request ran) is stored; the same key with the same parameters
// gets that outcome again, marked `Idempotent-Replayed: true`; with other parameters, a 400
// idempotency_error; while the first is still running, a 409. A request refused before it ran
// (bad parameters, no such object) stores nothing, so it can be sent again fixed.
import { errors, StripeApiError } from './errors';

export interface StoredResponse {
  status: number;
  body: unknown;
}

interface Entry {
  fingerprint: string;
  response?: StoredResponse;
}

export class IdempotencyKeys {
  private readonly entries = new Map<string, Entry>();

  async run(apiKey: string, key: string, fingerprint: string, execute: () => Promise<unknown>): Promise<StoredResponse & { replayed: boolean }> {
    const scope = `${apiKey}\u0000${key}`;
    const entry = this.entries.get(scope);
    if (entry) {
      if (entry.fingerprint !== fingerprint) throw errors.idempotencyMismatch(key);
      if (!entry.response) throw errors.idempotencyInProgress();
      return { ...entry.response, replayed: true };
    }
    const running: Entry = { fingerprint };
    this.entries.set(scope, running);
    try {
      running.response = { status: 200, body: await execute() };
    } catch (error) {
      if (!(error instanceof StripeApiError && error.body.type === 'card_error')) {
        this.entries.delete(scope);
        throw error;
      }
      running.response = { status: error.status, body: { error: error.body } };
    }
    return { ...running.response, replayed: false };
  }
}
