import { buildFacade, type Facade, servicesFor } from '../src';
import { FakeRpc, tokenSigner } from '../src/testing';

const SECRET = 'rpc-secret-rpc-secret-rpc-secret-rpc';
const { bearer } = tokenSigner({ secret: SECRET, audience: 'shop', sub: 'u1', role: 'customer' });

interface Consumed {
  notes: { write(noteId: string, text: string): { id: string; text: string } };
}

const open: Facade[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

async function shop(rpc: FakeRpc) {
  const app = await buildFacade({ name: 'shop', audience: 'shop', jwtSecret: SECRET, rpcClient: rpc, logger: false, rpcTimeoutMs: 1234 });
  app.post('/notes/:id', { config: { access: ['customer'] } }, async (request) =>
    servicesFor<Consumed>(request.rpc).notes.write((request.params as { id: string }).id, 'hello'),
  );
  app.post('/open', { config: { access: 'public' } }, async (request) => servicesFor<Consumed>(request.rpc).notes.write('n0', 'anon'));
  open.push(app);
  return app;
}

describe('servicesFor', () => {
  it('calls a service through shimeji’s typed proxy with the request id as call id and the token’s user', async () => {
    const rpc = new FakeRpc().answer('notes.write', (id: string, text: string) => ({ id, text }));
    const res = await (await shop(rpc)).inject({ method: 'POST', url: '/notes/n1', headers: { ...bearer(), 'x-request-id': 'req-7' } });
    expect(res.json()).toEqual({ id: 'n1', text: 'hello' });
    expect(rpc.calls).toEqual([
      { service: 'notes', method: 'write', args: ['n1', 'hello'], options: { callId: 'shop.http.req-7', contextData: { user_id: 'u1' }, timeoutMs: 1234 } },
    ]);
  });

  it('sends no user on a public route', async () => {
    const rpc = new FakeRpc().answer('notes.write', (id: string, text: string) => ({ id, text }));
    await (await shop(rpc)).inject({ method: 'POST', url: '/open' });
    expect(rpc.calls[0]!.options).toMatchObject({ contextData: {} });
  });

  it('is no promise itself, so awaiting it by mistake does not call a service named then', async () => {
    const asked: string[] = [];
    const services = servicesFor<Consumed>({ call: () => Promise.reject(new Error('no')), service: (name) => (asked.push(name), {}) as never });
    expect((services as { then?: unknown }).then).toBeUndefined();
    expect(asked).toEqual([]);
  });
});
