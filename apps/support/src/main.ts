// Starts the support facade on SUPPORT_PORT (default 8002), calling the services over AMQP_URI;
// `--config apps/platform/config.yaml` reads the rest as npm start does (JWT_SECRET, rate limits).
import { runFacade } from '@platform/http';
import { DEFAULT_PORT } from './app';
import { startFacade } from './start-facade';

runFacade('support', startFacade, DEFAULT_PORT);
