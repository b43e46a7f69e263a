// The messaging service's contract of errors. They travel as `messaging.exceptions.<Name>`; an
// event handler's error is the reason its event is dead-lettered with.
import { InvalidArguments } from '@platform/schemas';

/** An argument or an event's field is missing, of the wrong type or out of range; `details` names the fields. */
export class BadRequest extends InvalidArguments {}

/** No such receipt, or no such user to send an email to. */
export class NotFound extends Error {}

/** The mail server refused the email or could not be reached: it did not leave. Try again later. */
export class DeliveryFailed extends Error {}

/**
 * An earlier attempt of the same event stopped while it was handing the email over: it may have
 * left. It is not sent again (at most once); look for its Message-ID in the mail server's log.
 */
export class DeliveryUncertain extends Error {}
