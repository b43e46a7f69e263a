// The admin facade under test: its app on a FakeRpc, and tokens for its audience (an admin, U1).
import { facadeFactory, tokenSigner } from '@platform/http/testing';
import { AUDIENCE, buildAdminApp } from '../src';
import { U1 } from './fake-rpc';

export const SECRET = 'test-secret-test-secret-test-secret';

export const adminApp = facadeFactory(buildAdminApp, { jwtSecret: SECRET });

export const { tokenWith, bearer } = tokenSigner({ secret: SECRET, audience: AUDIENCE, sub: U1, role: 'admin' });
