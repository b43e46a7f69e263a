// A bare facade for libs/http's own tests, closed after each test of the file that imports this.
import { buildFacade, type Facade, type FacadeOptions } from '../../src';

const open: Facade[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

/** buildFacade with a test name, audience and key, a do-nothing RPC client and no logs; `options` replace any of them. */
export async function testFacade(options: Partial<FacadeOptions> = {}): Promise<Facade> {
  const app = await buildFacade({
    name: 'test',
    audience: 'test',
    jwtSecret: 'a-secret-a-secret-a-secret-a-secret',
    rpcClient: { call: async () => ({}) },
    logger: false,
    ...options,
  });
  open.push(app);
  return app;
}
