// The admin facade under test: its app on a FakeRpc, and tokens for its audience (an admin, U1).
import { facadeUnderTest } from '@platform/http/testing';
import { admin } from '../src/app';
import { U1 } from './fake-rpc';

export const { app: adminApp, tokenWith, bearer } = facadeUnderTest(admin, { sub: U1, role: 'admin' });
