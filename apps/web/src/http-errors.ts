// How each remote error this facade consumes reaches a customer (the seeds' translation).
import { detailsOf, ErrorTranslation, httpErrors, withPaymentErrors } from '@platform/http';
import * as remoteErrors from './remote-errors';

export const translation = withPaymentErrors(
  new ErrorTranslation()
    .on(remoteErrors.BadRequest, (e) => new httpErrors.BadRequest(e.message, detailsOf(e)))
    .on(remoteErrors.NotFound, (e) => new httpErrors.NotFound(e.message))
    .on(remoteErrors.EmailAlreadyRegistered, (e) => new httpErrors.Conflict(e.message, [{ field: 'email', message: e.message }]))
    .on(remoteErrors.InvalidCredentials, () => new httpErrors.Unauthorized('wrong email or password'))
    .on(remoteErrors.AccountSuspended, () => new httpErrors.Forbidden('this account is suspended'))
    .on(remoteErrors.ConcurrentChange, (e) => new httpErrors.Conflict(e.message))
    .on(remoteErrors.InvalidOrderState, (e) => new httpErrors.Conflict(e.message))
    .on(remoteErrors.OrderCancelled, (e) => new httpErrors.Conflict(e.message, [{ field: 'orderId', message: 'the order was cancelled' }]))
    .on(remoteErrors.NotAwaitingAuthentication, (e) => new httpErrors.Conflict(e.message, [{ field: 'orderId', message: e.message }]))
    .on(remoteErrors.TransactionNotFound, () => new httpErrors.Conflict('this order cannot be paid yet: try again shortly')),
);
