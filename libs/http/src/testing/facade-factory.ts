// For facade tests: a facade app per test on a FakeRpc, ready to `inject`, closed after each
// test (registered with the test framework's `afterEach` when there is one).
//
//   export const webApp = facadeFactory(buildWebApp, { jwtSecret: SECRET });
//   const { app, rpc } = await webApp(new FakeRpc().answer('user.getUser', () => aUser()));
//   const { app } = await webApp(undefined, { bodyLimit: 1024 });
import type { LogOptions } from '../logging';
import type { RpcClient } from '../rpc';
import { FakeRpc } from './fake-rpc';

declare const afterEach: ((fn: () => Promise<void>) => void) | undefined;

/** What every facade's builder takes (`buildWebApp` and the like). */
interface BuildOptions {
  rpcClient: RpcClient;
  jwtSecret: string;
  logger?: LogOptions | false;
}

interface App {
  ready(): PromiseLike<unknown>;
  close(): PromiseLike<unknown>;
}

export type FacadeFactory<O extends BuildOptions, A extends App> = ((
  rpc?: FakeRpc,
  options?: Partial<Omit<O, 'rpcClient'>>,
) => Promise<{ app: A; rpc: FakeRpc }>) & {
  /** Closes every app made so far (after each test on its own). */
  cleanup(): Promise<void>;
};

/** Apps from `build` with `defaults` (the test key), no logs, and the given options over both. */
export function facadeFactory<O extends BuildOptions, A extends App>(
  build: (options: O) => Promise<A>,
  defaults: Partial<Omit<O, 'rpcClient'>> & { jwtSecret: string },
): FacadeFactory<O, A> {
  const made: A[] = [];
  const factory = async (rpc = new FakeRpc(), options: Partial<Omit<O, 'rpcClient'>> = {}) => {
    // A facade's builder takes rpcClient and jwtSecret, everything else is optional.
    const app = await build({ logger: false, ...defaults, ...options, rpcClient: rpc } as unknown as O);
    made.push(app);
    await app.ready();
    return { app, rpc };
  };
  const cleanup = async () => {
    await Promise.all(made.splice(0).map((app) => app.close()));
  };
  if (typeof afterEach === 'function') afterEach(cleanup);
  return Object.assign(factory, { cleanup });
}
