import { dbContract } from './db-contract';

dbContract('postgres');
