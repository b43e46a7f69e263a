export { AUDIENCE, buildWebApp, DEFAULT_PORT, type WebAppOptions } from './app';
export { remoteErrors } from './remote-errors';
export { type StartedFacade, startFacade } from './start-facade';
export { callerCheck } from './caller-check';
