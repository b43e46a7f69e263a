// A facade's own program, as apps/<name>/src/main.ts runs one: for tests that signal a process.
import { ErrorRegistry } from '@platform/shimeji';
import { z } from 'zod';
import { defineFacade, ErrorTranslation } from '../../src';

class NotFound extends Error {}

defineFacade({
  name: 'outage_program',
  audience: 'shop',
  description: 'a shop run as its own program',
  defaultPort: 8100,
  roles: ['customer'],
  forWhom: 'customers',
  user: z.object({ id: z.string() }),
  routes: [],
  remoteErrors: new ErrorRegistry().register('user.exceptions.NotFound', NotFound),
  httpErrors: new ErrorTranslation(),
}).main();
