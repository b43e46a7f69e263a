// What an event does about an email that has a record already: never two emails for one record.
import { decide } from '../../src/states';

describe('a second event about the same email', () => {
  const mine = 'event-1';

  it('sends it when the earlier attempt failed before it left', () => {
    expect(decide({ status: 'failed', event_id: 'event-0' }, mine)).toBe('send');
    expect(decide({ status: 'failed', event_id: mine }, mine)).toBe('send');
  });

  it('does nothing when it was sent', () => {
    expect(decide({ status: 'sent', event_id: 'event-0' }, mine)).toBe('already_sent');
    expect(decide({ status: 'sent', event_id: mine }, mine)).toBe('already_sent');
  });

  it('leaves it to the event that is sending it', () => {
    expect(decide({ status: 'sending', event_id: 'event-0' }, mine)).toBe('elsewhere');
    expect(decide({ status: 'sending', event_id: null }, null)).toBe('elsewhere');
  });

  it('calls it uncertain, and does not send it, when this very event stopped while sending it', () => {
    expect(decide({ status: 'sending', event_id: mine }, mine)).toBe('uncertain');
  });
});
