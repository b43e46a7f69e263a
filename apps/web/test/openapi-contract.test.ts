import { join } from 'node:path';
import { describeFacadeContract } from '@platform/http/testing';
import { web } from '../src/app';

describeFacadeContract(web, join(__dirname, '..', 'openapi.json'));
