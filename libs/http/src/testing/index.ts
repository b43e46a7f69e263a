export { FakeRpc, type RecordedCall } from './fake-rpc';
export { type FacadeFactory, facadeFactory } from './facade-factory';
export { type TokenOptions, type TokenSigner, type TokenSignerOptions, tokenSigner } from './tokens';
export { type FacadeUnderTest, facadeUnderTest, TEST_SECRET } from './facade-under-test';
export * as replies from './replies';
export { describeFacadeAuth, describeFacadeValidation, type FacadeAuthChecks, type FacadeField, type FacadeRoute, type FacadeValidationChecks } from './facade-conformance';
export { testAccessTokens } from './access-tokens';
export { type OpenApiDocument, servedDocument, undocumentedParts } from './undocumented';
export { exploreFacade, exploreRoutes, type ExplorationReport, type FacadeExploration, type Replies, type RouteExplorerOptions } from './route-explorer';
