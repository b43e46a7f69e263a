// The customers' facade: its routes, its own schemas and its own remote-error translation.
import { defineFacade } from '@platform/http';
import { translation } from './http-errors';
import { remoteErrors } from './remote-errors';
import { CUSTOMERS } from './routes/access';
import { accountRoutes } from './routes/accounts';
import { paymentRoutes } from './routes/payments';
import { projectRoutes } from './routes/projects';
import { User } from './schemas';

export const web = defineFacade({
  name: 'web',
  audience: 'web',
  version: '1.0.0',
  description: 'The customers’ application: accounts, projects, orders and payments',
  defaultPort: 8000,
  roles: CUSTOMERS,
  forWhom: 'customers',
  user: User,
  whoAmI: true,
  routes: [accountRoutes, projectRoutes, paymentRoutes],
  remoteErrors,
  httpErrors: translation,
});

// The names the e2e suite builds and starts this facade by.
export const { build: buildWebApp, start: startFacade, callerCheck } = web;
export { remoteErrors };
