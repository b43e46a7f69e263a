// Access tokens: short-lived JWTs signed with an asymmetric key (Ed25519 or P-256), so that the
// services, which hold only public keys, can check who is calling but cannot mint a user's token.
// Facades sign users' tokens; each service signs tokens for itself alone (its identity), and a
// service key is trusted for nothing else. Keys are named by their RFC 7638 thumbprint, so a
// rotation is adding the new public key beside the old one, then signing with the new key.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { calculateJwkThumbprint, decodeProtectedHeader, errors as joseErrors, exportJWK, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { NotAuthorized } from './exceptions';

/** The role of a service acting on its own: in event handlers, timers, sagas, relays. */
export const SERVICE_ROLE = 'service';
/** The role a facade gives a caller it has not authenticated (a login, a sign-up). */
export const GUEST_ROLE = 'guest';
/** The audience of the tokens services mint for themselves. */
export const SERVICE_AUDIENCE = 'services';
/** The context key tokens travel under: Nameko's own, so a Nameko service forwards it. */
export const AUTH_TOKEN_KEY = 'auth_token';
/** The subject of a service's own token: `service:payment`. */
export const serviceSubject = (serviceName: string): string => `service:${serviceName}`;

/** Who a verified token says is calling. */
export interface Identity {
  /** The user's id, or `service:<name>` for a service acting on its own. */
  sub: string;
  role: string;
  /** A user (through a facade), or a service acting on its own. */
  kind: 'user' | 'service';
  /** The facade that minted a user's token (`web`, `admin`, …), or `services`. */
  audience: string;
  /** When the token expires, in ms since the epoch. */
  expiresAt: number;
}

/** A key of ours, named by its thumbprint. */
export interface NamedKey {
  kid: string;
  key: KeyObject;
  alg: 'EdDSA' | 'ES256';
}

const PEM_BLOCK = /-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g;

function algorithmOf(key: KeyObject, setting: string): NamedKey['alg'] {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new Error(`${setting}: an access-token key must be Ed25519 or EC P-256, got ${key.asymmetricKeyType ?? 'a symmetric key'}`);
}

/**
 * The PEM blocks a setting names: PEM text itself, files, or folders of `*.pem`, as a list or
 * comma-separated. A path that does not exist is an error naming the setting, or skipped with
 * `skipMissing` (for a check that is not the one reading the keys).
 */
export function pemBlocks(setting: string, value: unknown, options: { skipMissing?: boolean } = {}): string[] {
  const items = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
  const blocks: string[] = [];
  for (const item of items) {
    if (item.includes('-----BEGIN')) {
      blocks.push(...(item.replace(/\\n/g, '\n').match(PEM_BLOCK) ?? []));
      continue;
    }
    for (const path of item.split(',').map((p) => p.trim()).filter(Boolean)) {
      if (!existsSync(path)) {
        if (options.skipMissing) continue;
        throw new Error(`${setting}: no key file or folder at ${path}`);
      }
      const files = statSync(path).isDirectory()
        ? readdirSync(path).filter((name) => name.endsWith('.pem')).sort().map((name) => join(path, name))
        : [path];
      for (const file of files) blocks.push(...(readFileSync(file, 'utf8').match(PEM_BLOCK) ?? []));
    }
  }
  return blocks;
}

async function named(key: KeyObject, setting: string): Promise<NamedKey> {
  const alg = algorithmOf(key, setting);
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return { kid: await calculateJwkThumbprint(await exportJWK(publicKey)), key, alg };
}

/** The one private key a setting holds (PEM text or a file), named by its public key's thumbprint. */
export async function readSigningKey(setting: string, value: unknown): Promise<NamedKey> {
  const blocks = pemBlocks(setting, value).filter((block) => block.includes('PRIVATE KEY'));
  if (blocks.length !== 1) throw new Error(`${setting} must hold one PEM private key (Ed25519 or EC P-256), found ${blocks.length}`);
  let key: KeyObject;
  try {
    key = createPrivateKey(blocks[0]!);
  } catch {
    throw new Error(`${setting} holds a PEM block that is not a readable private key`);
  }
  return named(key, setting);
}

/** The public keys a setting names; a private key among them counts as its public half. */
export async function readPublicKeys(setting: string, value: unknown): Promise<NamedKey[]> {
  const keys: NamedKey[] = [];
  for (const block of pemBlocks(setting, value)) {
    let key: KeyObject;
    try {
      key = createPublicKey(block);
    } catch {
      throw new Error(`${setting} holds a PEM block that is not a readable key`);
    }
    keys.push(await named(key, setting));
  }
  if (keys.length === 0) throw new Error(`${setting} names no PEM public key`);
  return keys;
}

export interface TokenClaims {
  sub: string;
  role: string;
  audience: string;
  ttlMs: number;
}

/** Signs tokens with one key: a facade's for its users, a service's for itself. */
export class TokenIssuer {
  constructor(private readonly signingKey: NamedKey) {}

  get kid(): string {
    return this.signingKey.kid;
  }

  async mint({ sub, role, audience, ttlMs }: TokenClaims): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ role })
      .setProtectedHeader({ alg: this.signingKey.alg, kid: this.signingKey.kid, typ: 'JWT' })
      .setSubject(sub)
      .setAudience(audience)
      .setIssuedAt(now)
      .setExpirationTime(now + Math.max(1, Math.round(ttlMs / 1000)))
      .sign(this.signingKey.key);
  }
}

export interface VerifierKeys {
  /** Keys that sign users' tokens: the facades'. */
  users: readonly NamedKey[];
  /** Keys that sign services' own tokens: trusted for a service's identity and nothing more. */
  services: readonly NamedKey[];
  /** The audiences (facades) whose users' tokens are accepted. */
  audiences: readonly string[];
}

/** Skew allowed between the clocks of the minting and the checking machine. */
const CLOCK_TOLERANCE_S = 5;

/**
 * Checks tokens; one verified token is remembered until it expires, since a facade's token is
 * sent with every call of a request and a signature check costs more than the rest of a call.
 */
export class TokenVerifier {
  private readonly byKid = new Map<string, { named: NamedKey; kind: Identity['kind'] }>();
  private readonly verified = new LRUCache<string, Identity>({ max: 10_000 });

  constructor(private readonly keys: VerifierKeys) {
    for (const named of keys.users) this.byKid.set(named.kid, { named, kind: 'user' });
    for (const named of keys.services) this.byKid.set(named.kid, { named, kind: 'service' });
  }

  /** The identity a token proves, or NotAuthorized saying why not (never echoing the token). */
  async verify(token: unknown): Promise<Identity> {
    if (token === undefined || token === null || token === '') throw new NotAuthorized('the call carries no access token (context auth_token)');
    if (typeof token !== 'string') throw new NotAuthorized('the access token must be a string (a JWT)');
    const known = this.verified.get(token);
    if (known) {
      if (known.expiresAt + CLOCK_TOLERANCE_S * 1000 > Date.now()) return known;
      this.verified.delete(token);
      throw new NotAuthorized('the access token has expired');
    }
    const identity = await this.check(token);
    this.verified.set(token, identity);
    return identity;
  }

  private async check(token: string): Promise<Identity> {
    let kid: string | undefined;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new NotAuthorized('the access token is not a JWT');
    }
    const key = kid === undefined ? undefined : this.byKid.get(kid);
    if (!key) throw new NotAuthorized('the access token is signed with a key this service does not trust');
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, key.named.key, {
        algorithms: [key.named.alg],
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['sub', 'aud', 'exp'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new NotAuthorized('the access token has expired');
      throw new NotAuthorized('the access token is not valid: its signature or claims do not check');
    }
    const { sub, role, aud, exp } = payload as { sub: string; role?: unknown; aud: unknown; exp: number };
    const audience = Array.isArray(aud) ? (aud.length === 1 ? aud[0] : undefined) : aud;
    if (typeof role !== 'string' || typeof audience !== 'string') throw new NotAuthorized('the access token names no role or audience');
    if (key.kind === 'service') {
      // A service key vouches only for its service acting on its own, never for a user.
      if (role !== SERVICE_ROLE || audience !== SERVICE_AUDIENCE || !sub.startsWith('service:')) {
        throw new NotAuthorized('a service key may sign only its own service identity');
      }
    } else {
      if (role === SERVICE_ROLE) throw new NotAuthorized('a user token may not claim the service role');
      if (!this.keys.audiences.includes(audience)) throw new NotAuthorized('the access token was minted for an audience this service does not serve');
    }
    return { sub, role, kind: key.kind, audience, expiresAt: exp * 1000 };
  }
}
