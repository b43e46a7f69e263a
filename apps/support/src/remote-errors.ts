// The remote errors this facade consumes, declared on its own side (it never imports a service).
import { ErrorRegistry } from '@platform/shimeji';

interface FieldProblem {
  field: string;
  message: string;
}

/** Travels with `exc_args = [message, [{ field, message }]]`. */
export class BadRequest extends Error {
  constructor(message: string, readonly details: FieldProblem[] = []) {
    super(message);
  }
}
export class NotFound extends Error {}
export class InvalidCredentials extends Error {}
export class AccountSuspended extends Error {}
export class DeliveryFailed extends Error {}

export const remoteErrors = new ErrorRegistry()
  .register('user.exceptions.BadRequest', BadRequest)
  .register('user.exceptions.NotFound', NotFound)
  .register('user.exceptions.InvalidCredentials', InvalidCredentials)
  .register('user.exceptions.AccountSuspended', AccountSuspended)
  .register('project.exceptions.BadRequest', BadRequest)
  .register('project.exceptions.NotFound', NotFound)
  .register('payment.exceptions.BadRequest', BadRequest)
  .register('messaging.exceptions.BadRequest', BadRequest)
  .register('messaging.exceptions.NotFound', NotFound)
  .register('messaging.exceptions.DeliveryFailed', DeliveryFailed);
