export { FakeRpc, type RecordedCall } from './fake-rpc';
export { type FacadeFactory, facadeFactory } from './facade-factory';
export { type TokenOptions, type TokenSigner, type TokenSignerOptions, tokenSigner } from './tokens';
export { type FacadeUnderTest, facadeUnderTest, TEST_SECRET } from './facade-under-test';
export * as replies from './replies';
