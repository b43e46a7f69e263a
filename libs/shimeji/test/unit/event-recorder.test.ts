import { ClusterEventDispatcher, ServiceContainer } from '../../src';
import { eventRecorder } from '../../src/testing';

describe('eventRecorder', () => {
  const uri = `memory://event-recorder-${process.pid}`;
  let container: ServiceContainer;
  let dispatcher: ClusterEventDispatcher;
  const recorder = eventRecorder('shop', ['order_placed', 'order_cancelled']);

  beforeAll(async () => {
    container = new ServiceContainer(recorder.service, { AMQP_URI: uri, logLevel: 'silent' });
    await container.start();
    dispatcher = await ClusterEventDispatcher.connect({ uri });
  });

  afterAll(async () => {
    await dispatcher.close();
    await container.stop();
  });

  it('hears every event type it was given, as a consumer over the broker would', async () => {
    await dispatcher.dispatch('shop', 'order_placed', { order_id: 'o-1' });
    await dispatcher.dispatch('shop', 'order_cancelled', { order_id: 'o-1', reason: 'changed my mind' });
    expect(await recorder.about('order_placed', 'o-1', 50)).toEqual([{ order_id: 'o-1' }]);
    expect(await recorder.about('order_cancelled', 'o-1', 50)).toEqual([{ order_id: 'o-1', reason: 'changed my mind' }]);
  });

  it('tells events about one thing apart from events about another', async () => {
    await dispatcher.dispatch('shop', 'order_placed', { order_id: 'o-2' });
    await dispatcher.dispatch('shop', 'order_placed', { order_id: 'o-3' });
    expect(await recorder.about('order_placed', 'o-3', 50)).toEqual([{ order_id: 'o-3' }]);
  });

  it('ignores event types it was not given', async () => {
    await dispatcher.dispatch('shop', 'order_paid', { order_id: 'o-4' });
    await dispatcher.dispatch('shop', 'order_placed', { order_id: 'o-4' });
    await recorder.about('order_placed', 'o-4', 100);
    expect(recorder.events.filter((e) => e.type === 'order_paid')).toEqual([]);
  });

  it('fails saying what it waited for when the event never comes', async () => {
    await expect(recorder.about('order_cancelled', 'never-sent', 0, 300)).rejects.toThrow('waited 300 ms for order_cancelled about never-sent');
  });
});
