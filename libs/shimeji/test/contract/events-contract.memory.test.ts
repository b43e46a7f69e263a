import { eventsContract } from './events-contract';

eventsContract('memory');
