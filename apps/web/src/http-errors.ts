// How each remote error this facade consumes reaches a customer (the seeds' translation).
import { detailsOf, ErrorTranslation, httpErrors } from '@platform/http';
import * as remoteErrors from './remote-errors';

/**
 * When to try again after Stripe could not be reached: payment's SDK has already retried for a
 * few seconds, and a retry is safe (the same idempotency key, charged at most once).
 */
const RETRY_AFTER_SECONDS = '10';

export const translation = new ErrorTranslation()
  .on(remoteErrors.BadRequest, (e) => new httpErrors.BadRequest(e.message, detailsOf(e)))
  .on(remoteErrors.NotFound, (e) => new httpErrors.NotFound(e.message))
  .on(remoteErrors.EmailAlreadyRegistered, (e) => new httpErrors.Conflict(e.message, [{ field: 'email', message: e.message }]))
  .on(remoteErrors.InvalidCredentials, () => new httpErrors.Unauthorized('wrong email or password'))
  .on(remoteErrors.AccountSuspended, () => new httpErrors.Forbidden('this account is suspended'))
  .on(remoteErrors.ConcurrentChange, (e) => new httpErrors.Conflict(e.message))
  .on(remoteErrors.TransactionNotFound, () => new httpErrors.Conflict('this order cannot be paid yet: try again shortly'))
  .on(
    remoteErrors.PaymentDeclined,
    (e) => new httpErrors.PaymentRequired(e.message, [{ field: 'payment_method_id', message: e.reason }]),
  )
  .on(
    remoteErrors.PaymentProviderUnavailable,
    () => new httpErrors.PaymentProviderUnavailable('the payment provider cannot be reached: try again shortly', [], { 'retry-after': RETRY_AFTER_SECONDS }),
  )
  // Stripe's own words stay in payment's log: they may name keys or requests.
  .on(remoteErrors.PaymentProviderError, () => new httpErrors.BadGateway('the payment provider gave an answer that could not be used'));
