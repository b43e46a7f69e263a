// The user service's errors this service consumes, declared on its own side: it never imports
// the user service.
import { ErrorRegistry } from '@platform/shimeji';

export class NotFound extends Error {}

export const registry = new ErrorRegistry().register('user.exceptions.NotFound', NotFound);
