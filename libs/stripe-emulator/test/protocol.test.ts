// What any request meets before an endpoint: the API key, the URL, the parameter encoding and
// Stripe's error shape, seen over plain HTTP.
import { startStripeEmulator, type StripeEmulator } from '../src';
import { parseForm } from '../src/form';
import { API_KEY } from './client';

describe('the emulator over HTTP', () => {
  let emulator: StripeEmulator;
  beforeAll(async () => (emulator = await startStripeEmulator()));
  afterAll(() => emulator.close());

  const send = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${emulator.url}${path}`, init);
    return { status: response.status, headers: response.headers, body: (await response.json()) as { error?: Record<string, unknown> } & Record<string, unknown> };
  };
  const auth = { Authorization: `Bearer ${API_KEY}` };
  const form = { ...auth, 'Content-Type': 'application/x-www-form-urlencoded' };

  it('needs a test secret key: 401 invalid_request_error otherwise', async () => {
    const none = await send('/v1/customers', { method: 'POST' });
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/did not provide an API key/) });
    const live = await send('/v1/customers', { method: 'POST', headers: { Authorization: 'Bearer sk_live_abcdefghijkl' } });
    expect(live.status).toBe(401);
    expect(live.body.error).toMatchObject({ code: 'api_key_invalid', message: expect.not.stringContaining('abcdefgh') });
    const basic = await send('/v1/customers', { method: 'POST', headers: { Authorization: `Basic ${Buffer.from(`${API_KEY}:`).toString('base64')}` } });
    expect(basic.status).toBe(200);
  });

  it('answers an unknown URL with 404 and an unknown parameter with 400 naming it', async () => {
    const unknown = await send('/v1/charges/ch_1/capture', { method: 'POST', headers: auth });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/Unrecognized request URL \(POST: \/v1\/charges/) });
    const extra = await send('/v1/customers', { method: 'POST', headers: form, body: 'email=a%40b.co&colour=blue' });
    expect(extra.status).toBe(400);
    expect(extra.body).toEqual({ error: expect.objectContaining({ type: 'invalid_request_error', code: 'parameter_unknown', param: 'colour' }) });
  });

  it('reads form-encoded nesting and gives each response a request id', async () => {
    const created = await send('/v1/customers', { method: 'POST', headers: form, body: 'email=ann+lee%40example.com&metadata[user_id]=u%201&metadata[tier]=gold' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ email: 'ann lee@example.com', metadata: { user_id: 'u 1', tier: 'gold' } });
    expect(created.headers.get('request-id')).toMatch(/^req_/);
    expect(created.headers.get('content-type')).toBe('application/json');
  });

  it('decodes brackets into objects and arrays, and ignores prototype keys', () => {
    expect(parseForm('a[b][c]=1&list[0]=x&list[1]=y&expand[]=p&expand[]=q&flag=true')).toEqual({
      a: { b: { c: '1' } },
      list: ['x', 'y'],
      expand: ['p', 'q'],
      flag: 'true',
    });
    expect(parseForm('__proto__[polluted]=1&metadata[constructor]=x')).toEqual({}); // a key left with nothing is not there
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
