import { discoveryContract } from './discovery-contract';

discoveryContract('memory');
