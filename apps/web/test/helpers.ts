// The web facade under test: its app on a FakeRpc, and tokens for its audience (a customer, U1).
import { facadeUnderTest } from '@platform/http/testing';
import { web } from '../src/app';
import { U1 } from './fake-rpc';

export const { app: webApp, tokenWith, bearer } = facadeUnderTest(web, { sub: U1, role: 'customer' });
