// How a facade under test signs its callers' access tokens: with the test process's facade key,
// which services started with `accessConfig()` (from @platform/shimeji/testing) trust.
import { readSigningKey, TokenIssuer } from '@platform/shimeji';
import { testAccessKeys } from '@platform/shimeji/testing';
import type { AccessTokenOptions } from '../facade';

export async function testAccessTokens(ttlMs = 300_000): Promise<AccessTokenOptions> {
  return { issuer: new TokenIssuer(await readSigningKey('test facade key', testAccessKeys().users.privateKey)), ttlMs };
}
