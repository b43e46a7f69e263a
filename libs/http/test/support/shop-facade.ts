// A facade definition for libs/http's own tests: a shop for customers with no routes of its own;
// a test gives the parts it is about.
import { ErrorRegistry } from '@platform/shimeji';
import { z } from 'zod';
import { type DefinedFacade, defineFacade, ErrorTranslation, type FacadeDefinition } from '../../src';

/** The user service's NotFound as the shop registers it, so its caller check can tell a user gone. */
export class NotFound extends Error {}

export function shopFacade(parts: Partial<FacadeDefinition> = {}): DefinedFacade {
  return defineFacade({
    name: 'shop',
    audience: 'shop',
    version: '1.0.0',
    description: 'a shop',
    defaultPort: 8100,
    roles: ['customer'],
    forWhom: 'customers',
    user: z.object({ id: z.string() }),
    routes: [],
    remoteErrors: new ErrorRegistry().register('user.exceptions.NotFound', NotFound),
    httpErrors: new ErrorTranslation(),
    ...parts,
  });
}
