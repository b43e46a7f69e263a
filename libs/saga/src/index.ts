// @platform/saga: orchestrated sagas for shimeji services. See libs/saga/README.md.
export {
  type ArgsOf,
  type LocalAction,
  type LocalStep,
  LocalStepBuilder,
  type LocalStepScope,
  type RemoteCall,
  type RemoteStep,
  RemoteStepBuilder,
  saga,
  SagaBuilder,
  type SagaContext,
  type SagaDefinition,
  type SagaStep,
} from './definition';
export { SagaMetrics } from './saga-metrics';
export { type SagaStarter, Sagas, type SagasOptions } from './sagas';
export { IDEMPOTENCY_KEY, RpcStepCaller, type RpcStepCallerOptions } from './rpc-step-caller';
export { SAGA_MIGRATIONS_TABLE, sagaMigrations, SAGAS_TABLE } from './saga-migrations';
export { describeError, isTransient, type LocalScope, SagaRunner, type SagaRunnerOptions } from './saga-runner';
export {
  ACTIVE_STATUSES,
  getSaga,
  insertSaga,
  LeaseLost,
  listSagas,
  retryStuck,
  type ListOptions,
  type SagaOutcome,
  type SagaState,
  type SagaStatus,
  type StepPhase,
  type StepRecord,
} from './saga-store';
export { type StepCall, type StepCaller, stepIdempotencyKey } from './step-caller';
