// The remote errors this facade consumes, declared on its own side (it never imports a service).
import { ErrorRegistry, InvalidArguments } from '@platform/shimeji';

/** Travels with `exc_args = [message, [{ field, message }]]`. */
export class BadRequest extends InvalidArguments {}
export class NotFound extends Error {}
export class InvalidCredentials extends Error {}
export class AccountSuspended extends Error {}
export class ConcurrentChange extends Error {}
export class TransactionNotFound extends Error {}
/** Travels with `exc_args = [message, reason]`, the reason being Stripe's decline code. */
export class PaymentDeclined extends Error {
  constructor(message: string, readonly reason = 'generic_decline') {
    super(message);
  }
}
/** Stripe cannot be reached now; the order stays payable and the same call may be made again. */
export class PaymentProviderUnavailable extends Error {}
/** Stripe answered something payment does not understand. */
export class PaymentProviderError extends Error {}

export const remoteErrors = new ErrorRegistry()
  .registerService('user', { BadRequest, NotFound, InvalidCredentials, AccountSuspended, ConcurrentChange })
  .registerService('project', { BadRequest, NotFound })
  .registerService('payment', { BadRequest, NotFound, TransactionNotFound, PaymentDeclined, ConcurrentChange, PaymentProviderUnavailable, PaymentProviderError });
