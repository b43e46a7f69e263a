// The remote errors this facade consumes, declared on its own side (it never imports a service).
import { PaymentDeclined, PaymentProviderError, PaymentProviderUnavailable } from '@platform/http';
import { ErrorRegistry, InvalidArguments } from '@platform/shimeji';

export { PaymentDeclined, PaymentProviderError, PaymentProviderUnavailable };

/** Travels with `exc_args = [message, [{ field, message }]]`. */
export class BadRequest extends InvalidArguments {}
export class NotFound extends Error {}
export class EmailAlreadyRegistered extends Error {}
export class InvalidCredentials extends Error {}
export class AccountSuspended extends Error {}
export class ConcurrentChange extends Error {}
export class TransactionNotFound extends Error {}
export class InvalidOrderState extends Error {}
export class OrderCancelled extends Error {}
/** Confirming or abandoning a payment that awaits no authentication of this customer. */
export class NotAwaitingAuthentication extends Error {}

export const remoteErrors = new ErrorRegistry()
  .registerService('user', { BadRequest, NotFound, EmailAlreadyRegistered, InvalidCredentials, AccountSuspended })
  .registerService('project', { BadRequest, NotFound, ConcurrentChange, InvalidOrderState })
  .registerService('payment', { BadRequest, NotFound, TransactionNotFound, PaymentDeclined, ConcurrentChange, OrderCancelled, NotAwaitingAuthentication, PaymentProviderUnavailable, PaymentProviderError });
