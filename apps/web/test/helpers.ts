// The web facade under test: its app on a FakeRpc, and tokens for its audience (a customer, U1).
import { facadeFactory, tokenSigner } from '@platform/http/testing';
import { AUDIENCE, buildWebApp } from '../src';
import { U1 } from './fake-rpc';

export const SECRET = 'test-secret-test-secret-test-secret';

export const webApp = facadeFactory(buildWebApp, { jwtSecret: SECRET });

export const { tokenWith, bearer } = tokenSigner({ secret: SECRET, audience: AUDIENCE, sub: U1, role: 'customer' });
