import { join } from 'node:path';
import { describeFacadeContract } from '@platform/http/testing';
import { admin } from '../src/app';

describeFacadeContract(admin, join(__dirname, '..', 'openapi.json'));
