// AMQP_URI may name several nodes of one cluster; AMQP_QUEUE_TYPE picks the queues' type.
import { readConfig } from '../../src/config';
import { brokerUris } from '../../src/transport/amqp-transport';
import { createTransport } from '../../src/transport/create-transport';

describe('the broker a service is given', () => {
  it('is one node, or several separated by commas, a comma inside a password left alone', () => {
    expect(brokerUris('amqp://guest:guest@localhost')).toEqual(['amqp://guest:guest@localhost']);
    expect(brokerUris('amqp://a:5672, amqp://b:5672,amqps://c:5671/vh')).toEqual(['amqp://a:5672', 'amqp://b:5672', 'amqps://c:5671/vh']);
    expect(brokerUris('amqp://user:pa,ss@a:5672,amqp://user:pa,ss@b:5672')).toEqual(['amqp://user:pa,ss@a:5672', 'amqp://user:pa,ss@b:5672']);
  });

  it('shows every node redacted in its description', () => {
    const transport = createTransport('amqp://guest:secret@a:5672/,amqp://guest:secret@b:5672/', { heartbeatSeconds: 5 });
    expect(transport.description).toBe('amqp://guest:***@a:5672/,amqp://guest:***@b:5672/');
  });

  it('declares classic queues unless AMQP_QUEUE_TYPE says quorum, and refuses any other type naming the setting', () => {
    expect(readConfig.amqpQueueType({})).toBe('classic');
    expect(readConfig.amqpQueueType({ AMQP_QUEUE_TYPE: 'Quorum' })).toBe('quorum');
    expect(() => readConfig.amqpQueueType({ AMQP_QUEUE_TYPE: 'stream' })).toThrow('AMQP_QUEUE_TYPE is "stream": expected classic or quorum');
  });
});
