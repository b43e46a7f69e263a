// For facade tests: tokens as another issuer or facade would make them, signed with fast-jwt
// rather than the facade's own @fastify/jwt, for one facade's audience and key.
//
//   const { tokenWith, bearer } = tokenSigner({ secret: SECRET, audience: 'web', sub: 'u1', role: 'customer' });
//   await app.inject({ url: '/me', headers: bearer() });                                  // the default caller
//   await app.inject({ url: '/me', headers: bearer(tokenWith({ aud: 'admin' })) });       // 401: another facade's token
import { createSigner } from 'fast-jwt';

export interface TokenOptions {
  /** The signing key (default: the signer's secret). */
  key?: string;
  /** The audience (default: the signer's). */
  aud?: string;
  /** Issued two hours ago with an hour to live. */
  expired?: boolean;
  sub?: string;
  role?: string;
}

export interface TokenSigner {
  /** A token for the signer's audience and caller, each part replaceable. */
  tokenWith(options?: TokenOptions): string;
  /** The Authorization header for `token` (default: `tokenWith()`). */
  bearer(token?: string): { authorization: string };
}

export interface TokenSignerOptions {
  secret: string;
  audience: string;
  /** The default caller: its id and role. */
  sub: string;
  role: string;
}

const HOUR_MS = 3_600_000;

export function tokenSigner(defaults: TokenSignerOptions): TokenSigner {
  const tokenWith = (options: TokenOptions = {}): string => {
    const sign = createSigner({
      key: options.key ?? defaults.secret,
      aud: options.aud ?? defaults.audience,
      expiresIn: HOUR_MS,
      ...(options.expired ? { clockTimestamp: Date.now() - 2 * HOUR_MS } : {}),
    });
    return sign({ sub: options.sub ?? defaults.sub, role: options.role ?? defaults.role });
  };
  return { tokenWith, bearer: (token = tokenWith()) => ({ authorization: `Bearer ${token}` }) };
}
