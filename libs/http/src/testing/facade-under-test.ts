// For a defined facade's tests: its app per test on a FakeRpc, and tokens for its audience, all
// with one test key, so an app's test helpers are one line.
//
//   export const { app: webApp, tokenWith, bearer } = facadeUnderTest(web, { sub: U1, role: 'customer' });
import type { DefinedFacade } from '../define-facade';
import { type FacadeFactory, facadeFactory } from './facade-factory';
import { type TokenSigner, tokenSigner } from './tokens';

export const TEST_SECRET = 'test-secret-test-secret-test-secret';

export interface FacadeUnderTest extends TokenSigner {
  app: FacadeFactory<Parameters<DefinedFacade['build']>[0], Awaited<ReturnType<DefinedFacade['build']>>>;
}

/** `facade`'s apps on the test key, and tokens for its audience, `caller` by default. */
export function facadeUnderTest(facade: DefinedFacade, caller: { sub: string; role: string }): FacadeUnderTest {
  return {
    app: facadeFactory(facade.build, { jwtSecret: TEST_SECRET }),
    ...tokenSigner({ secret: TEST_SECRET, audience: facade.audience, ...caller }),
  };
}
