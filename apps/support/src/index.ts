export { AUDIENCE, buildSupportApp, DEFAULT_PORT, type SupportAppOptions } from './app';
export { remoteErrors } from './remote-errors';
export { type StartedFacade, startFacade } from './start-facade';
export { callerCheck } from './caller-check';
