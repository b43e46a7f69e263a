// How the admin facade is started, by its own main and by the platform (`npm start`).
import { type FacadeStartOptions, startFacade as start, type StartedFacade, userServiceStanding } from '@platform/http';
import { buildAdminApp } from './app';
import { remoteErrors } from './remote-errors';

export type { StartedFacade };

/** How a token's user stands now, as the user service has them (libs/http's one caller check). */
export const callerCheck = userServiceStanding(remoteErrors);

/** Listens on `port` (0: any free one) and calls the services over the config's AMQP_URI. */
export function startFacade(options: FacadeStartOptions): Promise<StartedFacade> {
  return start('admin', (built) => buildAdminApp({ ...built, callerCheck }), remoteErrors, options);
}
