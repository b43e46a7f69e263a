import { RemoteError, RpcTimeout } from '@platform/shimeji';
import { BadRequest, DeliveryFailed, InvalidCredentials, NotFound } from '../src/remote-errors';
import { aProject, aUser, FakeRpc, O1, O9, U1, U9 } from './fake-rpc';
import { bearer, supportApp } from './helpers';

const fail = (error: Error) => () => {
  throw error;
};

describe('remote errors are translated, never shown as they are', () => {
  test('NotFound from the user service is 404', async () => {
    const rpc = new FakeRpc().answer('user.getUser', fail(new NotFound(`user ${U9} not found`))).answer('project.listProjectsForUser', () => []);
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: `/customers/${U9}/overview`, headers: bearer() });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'NOT_FOUND', message: `user ${U9} not found`, details: [] });
  });

  test('NotFound from messaging (no receipt for that order) is 404', async () => {
    const { app } = await supportApp(new FakeRpc().answer('messaging.resendOrderReceipt', fail(new NotFound(`no receipt for order ${O9}`))));
    const res = await app.inject({ method: 'POST', url: `/orders/${O9}/receipt`, headers: bearer() });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe(`no receipt for order ${O9}`);
  });

  test('BadRequest is 400 with the service’s details', async () => {
    const details = [{ field: 'userId', message: 'too long' }];
    const { app } = await supportApp(new FakeRpc().answer('messaging.listMessagesForUser', fail(new BadRequest('userId: too long', details))));
    const res = await app.inject({ method: 'GET', url: `/customers/${U1}/messages`, headers: bearer() });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'BAD_REQUEST', message: 'userId: too long', details });
  });

  test('DeliveryFailed is 503 without the mail server’s words', async () => {
    const { app } = await supportApp(new FakeRpc().answer('messaging.resendOrderReceipt', fail(new DeliveryFailed('ECONNREFUSED smtp:25'))));
    const res = await app.inject({ method: 'POST', url: `/orders/${O1}/receipt`, headers: bearer() });
    expect(res.statusCode).toBe(503);
    expect(res.body).not.toMatch(/ECONNREFUSED/);
  });

  test('InvalidCredentials is 401', async () => {
    const { app } = await supportApp(new FakeRpc().answer('user.authenticate', fail(new InvalidCredentials('no'))));
    const res = await app.inject({ method: 'POST', url: '/login', payload: { email: 'sam@example.com', password: 'wrong' } });
    expect(res.statusCode).toBe(401);
  });

  test('a timeout anywhere in the overview is 504', async () => {
    const rpc = new FakeRpc()
      .answer('user.getUser', () => aUser())
      .answer('project.listProjectsForUser', () => [aProject()])
      .answer('project.getOrdersByProjectId', fail(new RpcTimeout('project', 'getOrdersByProjectId', 10_000)));
    const { app } = await supportApp(rpc);
    const res = await app.inject({ method: 'GET', url: `/customers/${U1}/overview`, headers: bearer() });
    expect(res.statusCode).toBe(504);
    expect(res.json().error).toBe('GATEWAY_TIMEOUT');
  });

  test('an unregistered remote error is 500 INTERNAL with no class name or stack', async () => {
    const wire = { exc_type: 'KeyError', exc_path: 'messaging.exceptions.KeyError', exc_args: ['secret'], value: 'secret' };
    const { app } = await supportApp(new FakeRpc().answer('messaging.listMessagesForUser', fail(new RemoteError(wire))));
    const res = await app.inject({ method: 'GET', url: `/customers/${U1}/messages`, headers: bearer() });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'INTERNAL', message: 'something went wrong', details: [] });
    expect(res.body).not.toMatch(/KeyError|secret|at /);
  });
});
