// How the support facade is started, by its own main and by the platform (`npm start`).
import { type FacadeStartOptions, startFacade as start, type StartedFacade } from '@platform/http';
import { buildSupportApp } from './app';
import { callerCheck } from './caller-check';
import { remoteErrors } from './remote-errors';

export type { StartedFacade };

/** Listens on `port` (0: any free one) and calls the services over the config's AMQP_URI. */
export function startFacade(options: FacadeStartOptions): Promise<StartedFacade> {
  return start('support', (built) => buildSupportApp({ ...built, callerCheck }), remoteErrors, options);
}
