// The facade vouches for its callers to the services: each call carries a short-lived access
// token the facade signs for the user it authenticated (or for a guest, on public routes), with
// the facade as the audience. One token per user and role is reused for half its life, so
// signing costs nothing per call and a service's verifier cache keeps hitting.
import { GUEST_ROLE, type TokenIssuer } from '@platform/shimeji';
import { LRUCache } from 'lru-cache';
import type { Caller } from './auth';

export interface CallerTokensOptions {
  issuer: TokenIssuer;
  /** The facade the tokens are for (`web`, `admin`, …): services accept only the audiences they serve. */
  audience: string;
  ttlMs: number;
}

/** The subject of a guest's token: no one in particular. */
export const GUEST_SUBJECT = 'guest';

export class CallerTokens {
  private readonly minted: LRUCache<string, { token: Promise<string>; renewAt: number }>;

  constructor(private readonly options: CallerTokensOptions) {
    this.minted = new LRUCache({ max: 10_000 });
  }

  /** The token for `caller`, or a guest's when the request is not authenticated. */
  tokenFor(caller: Caller | undefined): Promise<string> {
    const sub = caller?.id ?? GUEST_SUBJECT;
    const role = caller?.role ?? GUEST_ROLE;
    const key = `${role}\u0000${sub}`;
    const now = Date.now();
    const known = this.minted.get(key);
    if (known && known.renewAt > now) return known.token;
    const { issuer, audience, ttlMs } = this.options;
    const token = issuer.mint({ sub, role, audience, ttlMs });
    this.minted.set(key, { token, renewAt: now + ttlMs / 2 });
    token.catch(() => this.minted.delete(key));
    return token;
  }
}
