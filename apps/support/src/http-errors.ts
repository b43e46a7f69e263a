// How each remote error this facade consumes reaches a support agent.
import { detailsOf, ErrorTranslation, httpErrors } from '@platform/http';
import * as remoteErrors from './remote-errors';

export const translation = new ErrorTranslation()
  .on(remoteErrors.BadRequest, httpErrors.BadRequest, (e) => [e.message, detailsOf(e)])
  .on(remoteErrors.NotFound, httpErrors.NotFound)
  .on(remoteErrors.InvalidCredentials, httpErrors.Unauthorized, () => ['wrong email or password'])
  .on(remoteErrors.AccountSuspended, httpErrors.Forbidden, () => ['this account is suspended'])
  .on(remoteErrors.DeliveryFailed, httpErrors.ServiceUnavailable, () => ['the mail server did not take the email: try again shortly']);
