// Starts the customers' facade on WEB_PORT (default 8000), calling the services over AMQP_URI.
import { runFacade } from '@platform/http';
import { DEFAULT_PORT } from './app';
import { startFacade } from './start-facade';

runFacade('web', startFacade, DEFAULT_PORT);
