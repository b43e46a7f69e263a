// The user service's contract of errors. They travel as `user.exceptions.<Name>`.
import { InvalidArguments } from '@platform/schemas';

/** An argument is missing, of the wrong type or out of range; `details` names the fields. */
export class BadRequest extends InvalidArguments {}

export class NotFound extends Error {}

/** Wrong password or unknown email: the same error, so neither can be told from the other. */
export class InvalidCredentials extends Error {}

export class AccountSuspended extends Error {}

export class EmailAlreadyRegistered extends Error {}

/** The user changed meanwhile (another admin acted on it): read it again and retry. */
export class ConcurrentChange extends Error {}
