import { createSigner } from 'fast-jwt';
import { buildAdminApp } from '../src';
import { FakeRpc } from './fake-rpc';

export const SECRET = 'test-secret-test-secret-test-secret';

const open: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

export async function adminApp(rpc = new FakeRpc(), options: { bodyLimit?: number } = {}) {
  const app = await buildAdminApp({ rpcClient: rpc, jwtSecret: SECRET, logger: false, ...options });
  open.push(app);
  await app.ready();
  return { app, rpc };
}

/** A token as another issuer or facade would make it. */
export function tokenWith(options: { key?: string; aud?: string; expired?: boolean; sub?: string; role?: string } = {}) {
  const sign = createSigner({
    key: options.key ?? SECRET,
    aud: options.aud ?? 'admin',
    expiresIn: 3_600_000,
    ...(options.expired ? { clockTimestamp: Date.now() - 7_200_000 } : {}),
  });
  return sign({ sub: options.sub ?? 'u1', role: options.role ?? 'admin' });
}

export function bearer(token = tokenWith()) {
  return { authorization: `Bearer ${token}` };
}
