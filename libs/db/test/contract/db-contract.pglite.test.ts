import { dbContract } from './db-contract';

dbContract('pglite');
