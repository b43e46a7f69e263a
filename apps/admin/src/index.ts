export { AUDIENCE, buildAdminApp, DEFAULT_PORT, type AdminAppOptions } from './app';
export { remoteErrors } from './remote-errors';
export { callerCheck, type StartedFacade, startFacade } from './start-facade';
