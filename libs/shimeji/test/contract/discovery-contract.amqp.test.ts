import { discoveryContract } from './discovery-contract';

discoveryContract('amqp');
