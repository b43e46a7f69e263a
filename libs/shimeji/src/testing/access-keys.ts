// Access-token keys for tests: one pair for "the facades" and one for "the services", made once
// per test process, and tokens minted with them as a facade or a service would.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { readSigningKey, SERVICE_AUDIENCE, SERVICE_ROLE, serviceSubject, TokenIssuer } from '../access-tokens';
import type { ServiceConfig } from '../config';
import { CONFIG_KEYS } from '../constants';

export interface PemPair {
  privateKey: string;
  publicKey: string;
}

/** A fresh Ed25519 pair as PEM text. */
export function ed25519Pair(): PemPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

let keys: { users: PemPair; services: PemPair } | undefined;

/** This test process's keys: the facades' (users) and the services'. */
export function testAccessKeys(): { users: PemPair; services: PemPair } {
  keys ??= { users: ed25519Pair(), services: ed25519Pair() };
  return keys;
}

/**
 * What a service under test needs to check tokens and to sign its own: spread it into its config.
 * With `writeTo` (a folder), the keys are written there as PEM files and the entries name the
 * files, for a service started elsewhere: `env: { ...process.env, ...accessConfig({ writeTo: dir }) }`
 * beside a config file that reads `ACCESS_USER_PUBLIC_KEYS: ${ACCESS_USER_PUBLIC_KEYS}` and so on.
 */
export function accessConfig(options: { writeTo?: string } = {}): Record<string, string> {
  const { users, services } = testAccessKeys();
  const entries: [string, string, string][] = [
    [CONFIG_KEYS.accessUserPublicKeys, 'users.public.pem', users.publicKey],
    [CONFIG_KEYS.accessServicePublicKeys, 'services.public.pem', services.publicKey],
    [CONFIG_KEYS.accessServiceSigningKey, 'service.private.pem', services.privateKey],
  ];
  const { writeTo } = options;
  if (writeTo === undefined) return Object.fromEntries(entries.map(([key, , pem]) => [key, pem]));
  return Object.fromEntries(
    entries.map(([key, file, pem]) => {
      const path = join(writeTo, file);
      writeFileSync(path, pem, { mode: 0o600 });
      return [key, path];
    }),
  );
}

/** What a facade under test needs to mint its callers' tokens. */
export function facadeAccessConfig(): ServiceConfig {
  return { ...accessConfig(), [CONFIG_KEYS.accessUserSigningKey]: testAccessKeys().users.privateKey };
}

export interface TestCaller {
  sub: string;
  role: string;
  /** The facade the token is for: `web` unless given. */
  audience?: string;
  /** Default five minutes; negative for a token that has already expired. */
  ttlMs?: number;
  /** Another signing key (PEM), for a forged token. */
  privateKey?: string;
}

/** A user's token as a facade mints it: `await accessToken({ sub: userId, role: 'customer' })`. */
export async function accessToken(caller: TestCaller): Promise<string> {
  const key = await readSigningKey('test key', caller.privateKey ?? testAccessKeys().users.privateKey);
  const ttlMs = caller.ttlMs ?? 300_000;
  if (ttlMs > 0) return new TokenIssuer(key).mint({ sub: caller.sub, role: caller.role, audience: caller.audience ?? 'web', ttlMs });
  // Expired a minute ago, beyond the verifiers' clock tolerance.
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: caller.role })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .setSubject(caller.sub)
    .setAudience(caller.audience ?? 'web')
    .setIssuedAt(now - 120)
    .setExpirationTime(now + Math.round(ttlMs / 1000))
    .sign(key.key);
}

/** A service's own token, as the service would mint it. */
export async function serviceToken(serviceName: string): Promise<string> {
  const key = await readSigningKey('test key', testAccessKeys().services.privateKey);
  return new TokenIssuer(key).mint({ sub: serviceSubject(serviceName), role: SERVICE_ROLE, audience: SERVICE_AUDIENCE, ttlMs: 300_000 });
}

/** Who calls: a user as a facade vouches for them, or `{ service: 'project' }`, a service acting on its own. */
export type Caller = TestCaller | { service: string };

/**
 * Context data carrying `caller`'s token: `client.call(s, m, args, { contextData: await as(caller) })`;
 * given a typed proxy, that proxy calling as `caller`: `const ann = await as({ sub, role: 'customer' }, payments)`.
 */
export function as(caller: Caller): Promise<{ auth_token: string }>;
export function as<P extends { $with(options: { contextData?: Record<string, unknown> }): P }>(caller: Caller, proxy: P): Promise<P>;
export async function as(caller: Caller, proxy?: { $with(options: { contextData?: Record<string, unknown> }): unknown }): Promise<unknown> {
  const contextData = { auth_token: 'service' in caller ? await serviceToken(caller.service) : await accessToken(caller) };
  return proxy ? proxy.$with({ contextData }) : contextData;
}

/**
 * `proxy` calling as `caller` with no await first: `actingAs({ sub: owner, role: 'customer' },
 * projects).createProject(owner, 'Garden')`. The token is minted once, at the first call; `$with`
 * on the result is the plain proxy's.
 */
export function actingAs<P extends { $with(options: { contextData?: Record<string, unknown> }): P }>(caller: Caller, proxy: P): P {
  let acting: Promise<P> | undefined;
  return new Proxy(proxy, {
    get(target, property) {
      if (typeof property !== 'string' || property.startsWith('$') || property === 'then') return Reflect.get(target, property);
      return async (...args: unknown[]) => {
        acting ??= as(caller, target);
        const calling = (await acting) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
        return calling[property]!(...args);
      };
    },
  });
}
