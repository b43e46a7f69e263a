// The remote errors this facade consumes, declared on its own side (it never imports a service).
import { ErrorRegistry, InvalidArguments } from '@platform/shimeji';

/** Travels with `exc_args = [message, [{ field, message }]]`. */
export class BadRequest extends InvalidArguments {}
export class NotFound extends Error {}
export class InvalidCredentials extends Error {}
export class AccountSuspended extends Error {}
export class DeliveryFailed extends Error {}

export const remoteErrors = new ErrorRegistry()
  .registerService('user', { BadRequest, NotFound, InvalidCredentials, AccountSuspended })
  .registerService('project', { BadRequest, NotFound })
  .registerService('payment', { BadRequest })
  .registerService('messaging', { BadRequest, NotFound, DeliveryFailed });
