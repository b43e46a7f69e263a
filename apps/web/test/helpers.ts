// The web facade under test: its app on a FakeRpc, and tokens for its audience (a customer, u1).
import { facadeFactory, tokenSigner } from '@platform/http/testing';
import { AUDIENCE, buildWebApp } from '../src';

export const SECRET = 'test-secret-test-secret-test-secret';

export const webApp = facadeFactory(buildWebApp, { jwtSecret: SECRET });

export const { tokenWith, bearer } = tokenSigner({ secret: SECRET, audience: AUDIENCE, sub: 'u1', role: 'customer' });
