// Secrets stay out of the logs: the whole platform logging at debug through a customer's order,
// payment and refund, a support agent's receipt and an admin's suspension, and then every line
// searched for this run's tokens (the facades' and the services' access tokens), keys, secrets
// and passwords.
import { Writable } from 'node:stream';
import { testAccessKeys } from '@platform/shimeji/testing';
import { ADMIN, JWT_SECRET, PASSWORD, SUPPORT, usePlatform } from './harness';
import { addCard, createProject, payOrder, placeOrder } from './steps';

const lines: string[] = [];
const logs = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

/** A JWT anywhere in a line: three base64url parts, the first a JSON header. */
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;
/** The body of a PEM key, as one line of base64 from the middle of it. */
const pemBody = (pem: string) => pem.split('\n')[1]!;

describe('the logs of a run', () => {
  const platform = usePlatform({ logTo: logs });

  it('hold none of its tokens, keys, secrets or passwords', async () => {
    const ann = await platform.signUp('Ann');
    const project = await createProject(platform, ann, 'Garden');
    const order = await placeOrder(platform, ann, project, 'Seeds');
    await payOrder(platform, ann, order, await addCard(platform, ann));
    const admin = await platform.admin.login(ADMIN.email, ADMIN.password);
    const support = await platform.support.login(SUPPORT.email, SUPPORT.password);
    expect((await platform.support.post(`/orders/${order.id}/receipt`, {}, support)).status).toBe(201);
    expect((await platform.admin.post(`/projects/${project.id}/orders/${order.id}/refund`, { reason: 'asked for it' }, admin)).status).toBe(200);
    expect((await platform.admin.post(`/users/${ann.id}/suspend`, { reason: 'testing' }, admin)).status).toBe(200);
    // A request with a forged bearer is logged as refused, never with its token.
    expect((await platform.web.get('/me', `${ann.token}x`)).status).toBe(401);

    // The run logged what it did: lines from every service and facade.
    const text = lines.join('\n');
    for (const name of ['"service":"user"', '"service":"project"', '"service":"payment"', '"service":"messaging"', '"name":"web"', '"name":"admin"', '"name":"support"']) {
      expect(text).toContain(name);
    }
    const keys = testAccessKeys();
    const secrets: Record<string, string> = {
      'a web session token': ann.token,
      'an admin session token': admin,
      'the facades’ private key': pemBody(keys.users.privateKey),
      'the services’ private key': pemBody(keys.services.privateKey),
      'the JWT secret': JWT_SECRET,
      'a customer’s password': PASSWORD,
      'the admin’s password': ADMIN.password,
      'the support password': SUPPORT.password,
      'the Stripe key': 'sk_test_local',
    };
    const found = Object.entries(secrets)
      .filter(([, secret]) => text.includes(secret))
      .map(([what]) => what);
    expect(found).toEqual([]);
    expect(lines.filter((line) => JWT.test(line))).toEqual([]);
  });
});
