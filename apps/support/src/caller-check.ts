// A token's user as the user service has them now: a suspended account or a changed role stops
// working within the check's ttl, not only when the token expires.
import { standingFromRpc } from '@platform/http';
import { NotFound } from './remote-errors';

export const callerCheck = standingFromRpc({ service: 'user', method: 'getUser', notFound: NotFound });
