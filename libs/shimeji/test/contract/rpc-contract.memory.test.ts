import { rpcContract } from './rpc-contract';

rpcContract('memory');
