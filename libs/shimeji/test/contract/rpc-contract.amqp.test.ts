import { rpcContract } from './rpc-contract';

rpcContract('amqp');
