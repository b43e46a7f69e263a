import {
  ATTEMPTS_HEADER,
  CALL_ID_STACK_HEADER,
  contextHeader,
  DEAD_LETTER_HEADERS,
  deadLetterQueueName,
  eventExchangeName,
  eventQueueName,
  replyQueueName,
  RPC_EXCHANGE,
  rpcBindingKey,
  rpcQueueName,
  rpcRoutingKey,
} from '../../src/constants';

// The wire names are Nameko's (test/wire/fixtures/nameko/topology.json): a typo here would split
// one broker topology into two that never meet.
describe('constants', () => {
  it('names RPC exchange, queues and keys as Nameko declares them', () => {
    expect(RPC_EXCHANGE).toBe('nameko-rpc');
    expect(rpcQueueName('payment')).toBe('rpc-payment');
    expect(rpcBindingKey('payment')).toBe('payment.*');
    expect(rpcRoutingKey('payment', 'pay')).toBe('payment.pay');
    expect(replyQueueName('web', 'abc')).toBe('rpc.reply-web-abc');
  });

  it('names event exchanges and the three kinds of event queue as Nameko does', () => {
    expect(eventExchangeName('order')).toBe('order.events');
    expect(eventQueueName.servicePool('order', 'placed', 'payment', 'onPlaced')).toBe('evt-order-placed--payment.onPlaced');
    expect(eventQueueName.singleton('order', 'placed')).toBe('evt-order-placed');
    expect(eventQueueName.broadcast('order', 'placed', 'payment', 'onPlaced', 'host1')).toBe('evt-order-placed--payment.onPlaced-host1');
  });

  it('carries context in nameko.* headers, the call id stack among them', () => {
    expect(contextHeader('user_id')).toBe('nameko.user_id');
    expect(CALL_ID_STACK_HEADER).toBe('nameko.call_id_stack');
  });

  it('keeps its own headers and dead-letter queues apart from Nameko’s under x-shimeji and .dead-letter', () => {
    expect(ATTEMPTS_HEADER).toBe('x-shimeji-attempts');
    for (const header of Object.values(DEAD_LETTER_HEADERS)) expect(header).toMatch(/^x-shimeji-/);
    expect(deadLetterQueueName('rpc-payment')).toBe('rpc-payment.dead-letter');
  });
});
