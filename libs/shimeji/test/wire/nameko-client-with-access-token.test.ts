// A Nameko client calling a service that checks access tokens sends the token as it sends any
// context data: the `nameko.auth_token` header (Nameko's own key, forwarded by Nameko services).
// The captured request with that header added is served; without it, it is refused in Nameko's
// error form, which a Nameko caller raises as a RemoteError.
import { rpc, service } from '../../src';
import { accessConfig, accessToken, containerFactory, testBrokerUri } from '../../src/testing';
import { type CapturedMessage, fixture, forService } from './fixtures';
import { namekoPeers, uniqueName } from './nameko-peer';

const request = fixture('rpc-request.json');
const reply = fixture('rpc-reply.json');

function guardedEcho(name: string) {
  @service(name)
  class GuardedEcho {
    @rpc({ allow: ['admin'] })
    async echo(x: unknown) {
      return x;
    }
  }
  return GuardedEcho;
}

describe('A Nameko client calls a service that checks access tokens', () => {
  const containers = containerFactory({ AMQP_URI: testBrokerUri(), ...accessConfig() });
  const peers = namekoPeers();

  async function send(captured: CapturedMessage) {
    const name = uniqueName('guarded');
    await containers(guardedEcho(name)).start();
    const peer = await peers();
    peer.deleteOnClose(`rpc-${name}`);
    const replies = await peer.replyQueue();
    await peer.publishCaptured(captured, forService(captured.routing_key, name), { replyTo: replies.replyTo });
    return replies.next();
  }

  const withToken = (token: string): CapturedMessage => ({
    ...request.message,
    headers: { ...request.message.headers, 'nameko.auth_token': token },
  });

  it('serves the captured request carrying a valid token in nameko.auth_token, with the captured reply body', async () => {
    const got = await send(withToken(await accessToken({ sub: 'u-1', role: 'admin', audience: 'admin' })));
    expect(JSON.parse(got.content.toString('utf8'))).toEqual(reply.message.body);
  });

  it('refuses the captured request without a token, in the error form Nameko reads', async () => {
    const got = await send(request.message);
    expect(JSON.parse(got.content.toString('utf8'))).toEqual({
      result: null,
      error: {
        exc_type: 'NotAuthorized',
        exc_path: 'shimeji.exceptions.NotAuthorized',
        exc_args: ['the call carries no access token (context auth_token)'],
        value: 'the call carries no access token (context auth_token)',
      },
    });
  });

  it('refuses a token whose role may not call the method', async () => {
    const got = await send(withToken(await accessToken({ sub: 'u-2', role: 'customer' })));
    expect(JSON.parse(got.content.toString('utf8')).error).toMatchObject({ exc_type: 'Forbidden', exc_path: 'shimeji.exceptions.Forbidden' });
  });
});
