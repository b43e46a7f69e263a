// The support facade under test: its app on a FakeRpc, and tokens for its audience (support staff, S1).
import { facadeUnderTest } from '@platform/http/testing';
import { support } from '../src/app';
import { S1 } from './fake-rpc';

export const { app: supportApp, tokenWith, bearer } = facadeUnderTest(support, { sub: S1, role: 'support' });
