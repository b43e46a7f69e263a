export { type Access, type Caller } from './auth';
export { type CallerCheck, type CallerStanding, CallerStandings, DEFAULT_CALLER_TTL_MS, standingFromRpc, userServiceStanding } from './caller-check';
export { listenForStandingChanges, STANDING_EVENTS, type StandingChanges } from './standing-changes';
export { type AccessTokenOptions, buildFacade, DOCS_PREFIX, type Facade, type FacadeOptions } from './facade';
export { CallerTokens, type CallerTokensOptions, GUEST_SUBJECT } from './caller-tokens';
export {
  DEFAULT_RATE_LIMITS,
  parseRateLimit,
  type RateLimit,
  type RateLimitName,
  type RateLimits,
  rateLimitsFromConfig,
} from './rate-limits';
export { detailsOf, ErrorTranslation } from './error-translation';
export * as httpErrors from './http-errors';
export { type ErrorBody, type ErrorDetail, HttpError } from './http-errors';
export { IDEMPOTENCY_KEY_FIELD, IDEMPOTENCY_KEY_HEADER } from './idempotency-keys';
export { DEFAULT_INPUT_LIMITS, type InputLimits, pastLimit } from './input-limits';
export { type LogOptions, REDACTED_PATHS } from './logging';
export { installMetrics, METRICS_PATH, UNMATCHED_ROUTE } from './metrics';
export { type CallOptions, isConnected, type RequestRpc, type RpcClient, type ServiceProxy, type Services, servicesFor } from './rpc';
export { type FacadeBuildOptions, type FacadeStartOptions, type StartedFacade, startFacade } from './start-facade';
export { facadeConfig, runFacade } from './run-facade';
export { PaymentDeclined, PaymentProviderError, PaymentProviderUnavailable, withPaymentErrors } from './payment-errors';
export { accountRoutes, type AccountRoutesOptions, Login, sessionFor } from './session';
export { type DefinedFacade, defineFacade, type FacadeAppOptions, type FacadeDefinition, type FacadeRoutes } from './define-facade';
export { compareContracts, type ContractChange, type ContractChanges, type ContractVerdict, judgeContractChange } from './contract-changes';
export { type ContractStatus, contractStatus, facadeDocument, type OpenApiDocument, serializeContract, writeContract } from './facade-contract';
