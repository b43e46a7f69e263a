// A suspension or a new role bites at once: a started facade hears the user service say so and
// forgets the standing it had cached, instead of trusting it for the rest of its 30 seconds.
import { EventDispatcher, inject, rpc, service, ServiceContainer } from '@platform/shimeji';
import { facadeAccessConfig, rpcClientFactory, testBrokerUri } from '@platform/shimeji/testing';
import { ErrorTranslation, httpErrors, type StartedFacade } from '../src';
import { tokenSigner } from '../src/testing';
import { shopFacade } from './support/shop-facade';

const SECRET = 'standing-changes-secret-standing-changes';
class Fine extends Error {}

/** The user service as far as standings go: users by id, suspended or given a role with an event. */
const users = new Map<string, { id: string; role: string; status: string }>();

@service('user')
class UserStandIn {
  dispatch = inject(new EventDispatcher());

  @rpc async getUser(userId: string) {
    return users.get(userId);
  }

  @rpc async suspend(userId: string) {
    const user = { ...users.get(userId)!, status: 'suspended' };
    users.set(userId, user);
    this.dispatch('user_suspended', { user, reason: 'test', actor: { id: 'admin' } });
  }

  @rpc async changeRole(userId: string, role: string) {
    const user = { ...users.get(userId)!, role };
    users.set(userId, user);
    this.dispatch('user_role_changed', { user, actor: { id: 'admin' } });
  }
}

const shop = shopFacade({
  name: 'standings_shop',
  // A route that answers 409 once the caller check let the request through.
  routes: [(app) => app.get('/in', { config: { access: ['customer'] } }, async () => Promise.reject(new Fine('let in')))],
  httpErrors: new ErrorTranslation().on(Fine, httpErrors.Conflict),
});

describe('a started facade and the user service’s news', () => {
  const uri = testBrokerUri('memory');
  const clients = rpcClientFactory({ uri });
  let userService: ServiceContainer;
  let facade: StartedFacade;

  beforeAll(async () => {
    userService = new ServiceContainer(UserStandIn, { AMQP_URI: uri, logLevel: 'silent' });
    await userService.start();
    facade = await shop.start({ config: { ...facadeAccessConfig(), AMQP_URI: uri, JWT_SECRET: SECRET, logLevel: 'silent' }, port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await facade?.close();
    await userService?.stop();
  });

  /** The status of a request as `userId`, a customer by their token. */
  const statusAs = async (userId: string) => {
    const { bearer } = tokenSigner({ secret: SECRET, audience: 'shop', sub: userId, role: 'customer' });
    return (await fetch(`${facade.url}/in`, { headers: bearer() })).status;
  };

  /** The statuses seen within a second of asking, first to last. */
  async function withinASecond(userId: string, until: number): Promise<number[]> {
    const seen: number[] = [];
    const deadline = Date.now() + 1_000;
    while (Date.now() < deadline && seen.at(-1) !== until) {
      seen.push(await statusAs(userId));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return seen;
  }

  it('refuses a suspended user within a second, though it had their standing cached as active', async () => {
    users.set('ann', { id: 'ann', role: 'customer', status: 'active' });
    expect(await statusAs('ann')).toBe(409);
    await (await clients()).call('user', 'suspend', ['ann']);
    expect((await withinASecond('ann', 403)).at(-1)).toBe(403);
  });

  it('asks a user whose role changed to log in again within a second', async () => {
    users.set('bob', { id: 'bob', role: 'customer', status: 'active' });
    expect(await statusAs('bob')).toBe(409);
    await (await clients()).call('user', 'changeRole', ['bob', 'support']);
    expect((await withinASecond('bob', 401)).at(-1)).toBe(401);
  });

  it('keeps trusting what it cached of anyone else', async () => {
    users.set('cid', { id: 'cid', role: 'customer', status: 'active' });
    expect(await statusAs('cid')).toBe(409);
    users.set('cid', { id: 'cid', role: 'customer', status: 'suspended' }); // changed without a word
    expect(await statusAs('cid')).toBe(409);
  });
});
