export { AUDIENCE, buildSupportApp, DEFAULT_PORT, type SupportAppOptions } from './app';
export { remoteErrors } from './remote-errors';
export { callerCheck, type StartedFacade, startFacade } from './start-facade';
