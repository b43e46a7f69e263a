import { describeFacadeAuth } from '@platform/http/testing';
import { aUser, FakeRpc, U2 } from './fake-rpc';
import { bearer, tokenWith, webApp } from './helpers';

describeFacadeAuth({
  app: webApp,
  tokenWith,
  bearer,
  protectedRoute: { method: 'GET', url: '/me' },
  rpc: () => new FakeRpc().answer('user.getUser', () => aUser()),
  otherAudiences: ['admin'],
  refusedRole: { role: 'support' },
  invalidBody: { method: 'POST', url: '/projects', payload: { nope: 1 } },
  callerInBody: { method: 'POST', url: '/projects', payload: { name: 'x', owner_id: U2 }, field: 'owner_id' },
});
