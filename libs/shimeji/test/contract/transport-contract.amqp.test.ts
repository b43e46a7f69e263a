import { transportContract } from './transport-contract';

transportContract('amqp');
