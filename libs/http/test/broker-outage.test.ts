// While its broker is out of reach, a started facade says so at once: 503 with Retry-After, not a
// 504 ten seconds later; it serves again when the broker is back, and stops without waiting for it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { rpc, service, ServiceContainer } from '@platform/shimeji';
import { type BrokerProxy, brokerProxy, facadeAccessConfig, freePort, testBrokerUri } from '@platform/shimeji/testing';
import type { StartedFacade } from '../src';
import { tokenSigner } from '../src/testing';
import { shopFacade } from './support/shop-facade';

const SECRET = 'broker-outage-secret-broker-outage-secret';

@service('user')
class UserStandIn {
  @rpc async getUser(userId: string) {
    return { id: userId, role: 'customer', status: 'active' };
  }
}

const shop = shopFacade({
  name: 'outage_shop',
  routes: [(app) => app.get('/me/again', { config: { access: ['customer'] } }, async (request) => request.rpc.call('user', 'getUser', [request.user.id]))],
});

describe('a started facade whose broker goes away', () => {
  const uri = testBrokerUri('amqp');
  const { bearer } = tokenSigner({ secret: SECRET, audience: 'shop', sub: 'u1', role: 'customer' });
  let userService: ServiceContainer;
  let broker: BrokerProxy;
  let facade: StartedFacade | undefined;

  beforeAll(async () => {
    userService = new ServiceContainer(UserStandIn, { AMQP_URI: uri, logLevel: 'silent' });
    await userService.start();
    broker = await brokerProxy(uri);
  });
  afterAll(async () => {
    await facade?.close();
    await broker.down();
    await userService.stop();
  });

  const get = async () => {
    const start = Date.now();
    const res = await fetch(`${facade!.url}/me/again`, { headers: bearer() });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - start, body: await res.json() };
  };

  it('answers 503 with Retry-After within a second while it is gone, and 200 again once it is back', async () => {
    facade = await shop.start({ config: { ...facadeAccessConfig(), AMQP_URI: broker.uri, JWT_SECRET: SECRET, logLevel: 'silent' }, port: 0, host: '127.0.0.1' });
    expect((await get()).status).toBe(200);
    await broker.down();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const during = await Promise.all([get(), get(), get()]);
    for (const answer of during) {
      expect(answer).toMatchObject({ status: 503, retryAfter: '5', body: { error: 'SERVICE_UNAVAILABLE' } });
      expect(answer.ms).toBeLessThan(1_000);
    }
    await broker.up();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) status = (await get()).status;
    expect(status).toBe(200);
  }, 30_000);

  it('stops within two seconds while the broker is gone', async () => {
    await broker.down();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const start = Date.now();
    await facade!.close();
    facade = undefined;
    expect(Date.now() - start).toBeLessThan(2_000);
  }, 30_000);

  it('exits 0 within two seconds of SIGTERM, as its own program, while the broker is gone', async () => {
    await broker.up();
    const port = await freePort();
    const tsx = path.resolve(__dirname, '../../../node_modules/.bin/tsx');
    const program = spawn(tsx, [path.join(__dirname, 'programs/outage-facade.ts')], {
      env: { ...process.env, ...(facadeAccessConfig() as Record<string, string>), AMQP_URI: broker.uri, JWT_SECRET: SECRET, LOG_LEVEL: 'silent', OUTAGE_PROGRAM_PORT: String(port), OUTAGE_PROGRAM_HOST: '127.0.0.1' },
    });
    const exited = new Promise<number | null>((resolve) => program.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      program.stdout.on('data', (chunk: Buffer) => String(chunk).includes('outage_program facade at') && resolve());
      void exited.then((code) => reject(new Error(`the program exited (${code}) before it served`)));
    });
    await broker.down();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const start = Date.now();
    program.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(Date.now() - start).toBeLessThan(2_000);
  }, 60_000);
});
