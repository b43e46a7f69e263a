export { AUDIENCE, buildWebApp, DEFAULT_PORT, type WebAppOptions } from './app';
export { remoteErrors } from './remote-errors';
export { callerCheck, type StartedFacade, startFacade } from './start-facade';
