import { IdempotencyKeyReused } from '@platform/shimeji';
import { ErrorTranslation, httpErrors } from '../src';

class Taken extends Error {}
class Declined extends Error {
  constructor(message: string, readonly reason: string) {
    super(message);
  }
}

describe('an error translation', () => {
  it('answers with the class each rule names, carrying what the rule gives it', () => {
    const translation = new ErrorTranslation().on(Declined, httpErrors.PaymentRequired, (e) => [e.message, [{ field: 'card', message: e.reason }]]);
    const error = translation.translate(new Declined('declined', 'insufficient_funds'));
    expect(error).toBeInstanceOf(httpErrors.PaymentRequired);
    expect(error.toBody()).toEqual({ error: 'PAYMENT_DECLINED', message: 'declined', details: [{ field: 'card', message: 'insufficient_funds' }] });
  });

  it('passes the remote error’s message on when the rule says nothing more', () => {
    expect(new ErrorTranslation().on(Taken, httpErrors.Conflict).translate(new Taken('the email is taken')).toBody()).toEqual({
      error: 'CONFLICT',
      message: 'the email is taken',
      details: [],
    });
  });

  it('says which HTTP errors it can answer with: its own rules’ and the framework’s, never INTERNAL', () => {
    const answers = new ErrorTranslation().on(Taken, httpErrors.Conflict).answers();
    expect(answers).toEqual([httpErrors.Conflict, httpErrors.IdempotencyKeyReused, httpErrors.Forbidden, httpErrors.GatewayTimeout, httpErrors.ServiceUnavailable]);
    expect(new ErrorTranslation().translate(new IdempotencyKeyReused('reused'))).toBeInstanceOf(httpErrors.IdempotencyKeyReused);
    expect(new ErrorTranslation().translate(new Taken('not listed'))).toBeInstanceOf(httpErrors.Internal);
  });
});
