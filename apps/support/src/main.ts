// Starts the support facade on SUPPORT_PORT (default 8002), calling the services over AMQP_URI.
import { runFacade } from '@platform/http';
import { DEFAULT_PORT } from './app';
import { startFacade } from './start-facade';

runFacade('support', startFacade, DEFAULT_PORT);
