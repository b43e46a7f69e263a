// How each remote error this facade consumes reaches a support agent.
import { detailsOf, ErrorTranslation, httpErrors } from '@platform/http';
import * as remoteErrors from './remote-errors';

export const translation = new ErrorTranslation()
  .on(remoteErrors.BadRequest, (e) => new httpErrors.BadRequest(e.message, detailsOf(e)))
  .on(remoteErrors.NotFound, (e) => new httpErrors.NotFound(e.message))
  .on(remoteErrors.InvalidCredentials, () => new httpErrors.Unauthorized('wrong email or password'))
  .on(remoteErrors.AccountSuspended, () => new httpErrors.Forbidden('this account is suspended'))
  .on(remoteErrors.DeliveryFailed, () => new httpErrors.ServiceUnavailable('the mail server did not take the email: try again shortly'));
