// The project service's contract of errors. They travel as `project.exceptions.<Name>`.
import { InvalidArguments } from '@platform/schemas';

/** An argument is missing, of the wrong type or out of range; `details` names the fields. */
export class BadRequest extends InvalidArguments {}

/**
 * No such project or order, or one the requester is not a member of: the same error, so nobody
 * can learn that someone else's project exists. There is no NotAMember error for that reason.
 */
export class NotFound extends Error {}

/** The order's status does not allow this (cancelling a paid order, say); see states.ts. */
export class InvalidOrderState extends Error {}

/** The project or order changed meanwhile (another call acted on it): read it again and retry. */
export class ConcurrentChange extends Error {}
