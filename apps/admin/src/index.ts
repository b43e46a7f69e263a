export { AUDIENCE, buildAdminApp, DEFAULT_PORT, type AdminAppOptions } from './app';
export { remoteErrors } from './remote-errors';
export { type StartedFacade, startFacade } from './start-facade';
export { callerCheck } from './caller-check';
