// The support staff's facade: its routes, its own schemas and its own remote-error translation.
import { defineFacade } from '@platform/http';
import { translation } from './http-errors';
import { remoteErrors } from './remote-errors';
import { STAFF } from './routes/access';
import { customerRoutes } from './routes/customers';
import { User } from './schemas';

export const support = defineFacade({
  name: 'support',
  audience: 'support',
  version: '1.0.0',
  description: 'The support staff’s application: customers, their projects, orders, payments and emails',
  defaultPort: 8002,
  roles: STAFF,
  forWhom: 'support staff',
  user: User,
  whoAmI: true,
  routes: [customerRoutes],
  remoteErrors,
  httpErrors: translation,
});

// The names the e2e suite builds and starts this facade by.
export const { build: buildSupportApp, start: startFacade, callerCheck } = support;
export { remoteErrors };
