import { eventsContract } from './events-contract';

eventsContract('amqp');
