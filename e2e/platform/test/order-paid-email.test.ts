// The platform's main flow across its four services, over the real broker and databases: a
// customer registers, places an order in a project, pays it, and receives the confirmation.
import { randomUUID } from 'node:crypto';
import { MessagingService } from '@platform/messaging-service';
import { PaymentService } from '@platform/payment-service';
import { ProjectService } from '@platform/project-service';
import type { ServiceProxy } from '@platform/shimeji';
import { as, rpcClientFactory, runnerFactory, testBrokerUri } from '@platform/shimeji/testing';
import { startStripeEmulator, type StripeEmulator } from '@platform/stripe-emulator';
import { UserService } from '@platform/user-service';
import { startMailbox } from './mailbox';
import { servicesConfig } from './services-config';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function eventually<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('ordering and paying across the platform', () => {
  const uri = testBrokerUri();
  const runners = runnerFactory();
  const clients = rpcClientFactory({ uri, timeoutMs: 30_000 });
  let stripe: StripeEmulator;
  let mailbox: Awaited<ReturnType<typeof startMailbox>>;

  beforeAll(async () => {
    stripe = await startStripeEmulator();
    mailbox = await startMailbox();
  });

  afterAll(async () => {
    await stripe?.close();
    await mailbox?.close();
  });

  it('places an order in project, pays it in payment, and the customer receives the confirmation email', async () => {
    const runner = runners(
      servicesConfig({ uri, databasePrefix: 'e2e', stripeUrl: stripe.url, mailboxPort: mailbox.port }),
      UserService,
      ProjectService,
      PaymentService,
      MessagingService,
    );
    await runner.start();
    // Each call as a facade makes it: a guest signs up, then Ann acts for herself, support reads.
    const client = await clients();
    const asGuest = await as({ sub: 'guest', role: 'guest' });
    const users = client.service<UserService>('user').$with({ contextData: asGuest });
    const email = `ann-${randomUUID().slice(0, 8)}@example.com`;
    const ann = await users.registerUser(email, 'Ann', 'correct horse');
    const asAnn = await as({ sub: ann.id, role: 'customer' });
    const projects = client.service<ProjectService>('project').$with({ contextData: asAnn });
    const payments: ServiceProxy<PaymentService> = client.service<PaymentService>('payment').$with({ contextData: asAnn });
    const staffView = client.service<PaymentService>('payment').$with({ contextData: await as({ sub: randomUUID(), role: 'support', audience: 'support' }) });
    const project = (await projects.createProject(ann.id, 'Community garden')) as { id: string };
    const order = (await projects.placeOrder(project.id, ann.id, 'Ten seed packs', 1500, 'EUR')) as { id: string };

    // payment opens the transaction when project's order_placed reaches it
    await eventually('the transaction to open', () => staffView.getTransactionByOrder(order.id));
    const card = await payments.addPaymentMethod(ann.id, 'pm_card_visa');
    const paid = await payments.payOrder(order.id, card.id, ann.id);
    expect(paid).toMatchObject({ order_id: order.id, state: 'paid', amount: 1500, currency: 'EUR' });
    expect(stripe.charges()).toHaveLength(1);

    // project hears payment_taken and marks the order paid
    await eventually('the order to be paid', async () => {
      const current = (await projects.getOrder(order.id, ann.id)) as { status: string };
      return current.status === 'paid' ? current : undefined;
    });

    // messaging hears payment_taken, looks Ann up in user, and sends her the confirmation
    const confirmation = await eventually('the confirmation email', async () =>
      mailbox.mails.find((m) => m.to.includes(email) && /Ten seed packs/.test(m.raw) && /paid|Paid/.test(m.raw)),
    );
    expect(confirmation.raw).toContain('Community garden');
    expect(confirmation.raw).toMatch(/15\.00/);
    expect(mailbox.mails.filter((m) => m.to.includes(email) && /Ten seed packs/.test(m.raw))).toHaveLength(1);
  });
});
