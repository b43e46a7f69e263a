// The project service's storage: projects (with their members) and orders, in the domain's language.
import { Database } from '@platform/db';
import { migrations } from '../migrations';
import { Orders } from './orders';
import { Projects } from './projects';

export type { MemberRow, ProjectRow } from './projects';
export type { OrderRow, StatusRecord } from './orders';

/** At PROJECT_DATABASE_URL (the default key for a service named `project`). */
export const projectDatabase = () => new Database({ projects: Projects, orders: Orders }, { migrations });
