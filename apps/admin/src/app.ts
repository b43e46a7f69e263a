// The admins' facade: its routes, its own schemas and its own remote-error translation.
import { defineFacade } from '@platform/http';
import { translation } from './http-errors';
import { remoteErrors } from './remote-errors';
import { ADMINS } from './routes/access';
import { projectRoutes } from './routes/projects';
import { userRoutes } from './routes/users';
import { User } from './schemas';

export const admin = defineFacade({
  name: 'admin',
  audience: 'admin',
  version: '1.0.0',
  description: 'The admins’ application: users, projects, orders, confirming and refunding payments',
  defaultPort: 8001,
  roles: ADMINS,
  forWhom: 'admins',
  user: User,
  routes: [userRoutes, projectRoutes],
  remoteErrors,
  httpErrors: translation,
});

// The names the e2e suite builds and starts this facade by.
export const { build: buildAdminApp, start: startFacade, callerCheck } = admin;
export { remoteErrors };
