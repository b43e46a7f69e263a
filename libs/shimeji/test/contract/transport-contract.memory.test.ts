import { transportContract } from './transport-contract';

transportContract('memory');
