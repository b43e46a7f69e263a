import { join } from 'node:path';
import { describeFacadeContract } from '@platform/http/testing';
import { support } from '../src/app';

describeFacadeContract(support, join(__dirname, '..', 'openapi.json'));
