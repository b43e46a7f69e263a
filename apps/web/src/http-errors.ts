// How each remote error this facade consumes reaches a customer (the seeds' translation).
import { detailsOf, ErrorTranslation, httpErrors, withPaymentErrors } from '@platform/http';
import * as remoteErrors from './remote-errors';

export const translation = withPaymentErrors(
  new ErrorTranslation()
    .on(remoteErrors.BadRequest, httpErrors.BadRequest, (e) => [e.message, detailsOf(e)])
    .on(remoteErrors.NotFound, httpErrors.NotFound)
    .on(remoteErrors.EmailAlreadyRegistered, httpErrors.Conflict, (e) => [e.message, [{ field: 'email', message: e.message }]])
    .on(remoteErrors.InvalidCredentials, httpErrors.Unauthorized, () => ['wrong email or password'])
    .on(remoteErrors.AccountSuspended, httpErrors.Forbidden, () => ['this account is suspended'])
    .on(remoteErrors.ConcurrentChange, httpErrors.Conflict)
    .on(remoteErrors.InvalidOrderState, httpErrors.Conflict)
    .on(remoteErrors.OrderCancelled, httpErrors.Conflict, (e) => [e.message, [{ field: 'orderId', message: 'the order was cancelled' }]])
    .on(remoteErrors.NotAwaitingAuthentication, httpErrors.Conflict, (e) => [e.message, [{ field: 'orderId', message: e.message }]])
    .on(remoteErrors.TransactionNotFound, httpErrors.Conflict, () => ['this order cannot be paid yet: try again shortly']),
);
