// One payment through the web facade is one trace: the HTTP request, the RPC calls it makes and
// the workers serving them, payment's database work and Stripe call, the payment_taken event and
// its handlers in project and messaging, messaging's call to user and its SMTP send. On the
// run's RabbitMQ and PostgreSQL, with the spans kept in memory.
import { alwaysOnSampler, inMemorySpanExporter, type ReadableSpan, startTracing, type Tracing } from '@platform/shimeji/tracing';
import { eventually, usePlatform } from './harness';
import { addCard, createProject, payOrder, placeOrder } from './steps';

const exporter = inMemorySpanExporter();
let tracing: Tracing | undefined;
// Before the platform starts: its database clients are traced only if tracing is on by then.
beforeAll(() => {
  tracing = startTracing({ exporter, sampler: alwaysOnSampler(), simple: true, serviceName: 'e2e' });
});
const platform = usePlatform();
afterAll(async () => {
  await tracing?.shutdown();
});

const parentOf = (span: ReadableSpan): string | undefined => span.parentSpanContext?.spanId;
const idOf = (span: ReadableSpan): string => span.spanContext().spanId;

describe('one payment through the web facade', () => {
  it('is a single trace with every hop in its place, parent to child', async () => {
    const customer = await platform.signUp('Tracy');
    const project = await createProject(platform, customer, 'traced');
    const order = await placeOrder(platform, customer, project, 'one traced order');
    const card = await addCard(platform, customer);
    exporter.reset();

    await payOrder(platform, customer, order, card);
    await platform.mailTo(customer.email, /paid|payment/i);

    const http = await eventually('the payment request’s span', () =>
      exporter.getFinishedSpans().find((s) => s.name.startsWith('POST ') && String(s.attributes['http.route']).endsWith('/payment')),
    );
    const traceId = http.spanContext().traceId;
    const inTrace = () => exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const named = (name: string, kind?: number) => inTrace().filter((s) => s.name === name && (kind === undefined || s.kind === kind));
    // Spans end as their work ends: the email is sent after the HTTP reply, so wait for its span.
    await eventually('the SMTP send’s span', () => named('smtp send')[0]);
    await eventually('messaging’s handler span', () => named('messaging.sendOrderPaidConfirmationEmail')[0]);
    await eventually('project’s handler span', () => named('project.markOrderPaid')[0]);

    const [CLIENT, SERVER, PRODUCER, CONSUMER] = [2, 1, 3, 4];
    const one = (name: string, kind?: number): ReadableSpan => {
      const found = named(name, kind);
      if (found.length !== 1) throw new Error(`expected one span ${name} in the trace, found ${found.length}: ${inTrace().map((s) => s.name).join(', ')}`);
      return found[0]!;
    };
    const byId = new Map(inTrace().map((s) => [idOf(s), s]));
    const ancestors = (span: ReadableSpan): string[] => {
      const out: string[] = [];
      for (let parent = parentOf(span); parent; parent = byId.get(parent) && parentOf(byId.get(parent)!)) out.push(parent);
      return out;
    };
    const isUnder = (span: ReadableSpan, ancestor: ReadableSpan) => ancestors(span).includes(idOf(ancestor));

    expect(parentOf(http)).toBeUndefined();
    expect(http.attributes['http.response.status_code']).toBe(200);

    const getOrderCall = one('project.getOrder', CLIENT);
    const getOrderWorker = one('project.getOrder', SERVER);
    expect(parentOf(getOrderCall)).toBe(idOf(http));
    expect(parentOf(getOrderWorker)).toBe(idOf(getOrderCall));

    const payCall = one('payment.payOrder', CLIENT);
    const payWorker = one('payment.payOrder', SERVER);
    expect(parentOf(payCall)).toBe(idOf(http));
    expect(parentOf(payWorker)).toBe(idOf(payCall));

    const paymentQueries = inTrace().filter((s) => s.name.startsWith('db ') && isUnder(s, payWorker));
    expect(paymentQueries.length).toBeGreaterThan(0);
    expect(inTrace().some((s) => s.name === 'db transaction' && parentOf(s) === idOf(payWorker))).toBe(true);
    const stripe = one('stripe paymentIntents.create');
    expect(isUnder(stripe, payWorker)).toBe(true);

    const dispatch = one('payment.payment_taken dispatch', PRODUCER);
    expect(isUnder(dispatch, payWorker)).toBe(true);
    const projectHandler = one('project.markOrderPaid', CONSUMER);
    const messagingHandler = one('messaging.sendOrderPaidConfirmationEmail', CONSUMER);
    expect(parentOf(projectHandler)).toBe(idOf(dispatch));
    expect(parentOf(messagingHandler)).toBe(idOf(dispatch));

    const getUserCall = one('user.getUser', CLIENT);
    const getUserWorker = one('user.getUser', SERVER);
    expect(parentOf(getUserCall)).toBe(idOf(messagingHandler));
    expect(parentOf(getUserWorker)).toBe(idOf(getUserCall));
    expect(isUnder(one('smtp send'), messagingHandler)).toBe(true);

    // The workers' spans carry their Nameko call ids, the chain of calls that led to them.
    expect(payWorker.attributes['shimeji.call_id']).toEqual(expect.stringMatching(/^payment\.payOrder\./));
  });
});
