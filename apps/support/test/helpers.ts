// The support facade under test: its app on a FakeRpc, and tokens for its audience (support staff, S1).
import { facadeFactory, tokenSigner } from '@platform/http/testing';
import { AUDIENCE, buildSupportApp } from '../src';
import { S1 } from './fake-rpc';

export const SECRET = 'test-secret-test-secret-test-secret';

export const supportApp = facadeFactory(buildSupportApp, { jwtSecret: SECRET });

export const { tokenWith, bearer } = tokenSigner({ secret: SECRET, audience: AUDIENCE, sub: S1, role: 'support' });
