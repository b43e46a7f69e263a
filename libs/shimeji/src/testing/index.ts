// Test helpers, in the spirit of nameko.testing: `import { … } from '@platform/shimeji/testing'`.
export { entrypointHook, entrypointWaiter, replaceDependencies, restrictEntrypoints } from './container-helpers';
export { brokerProxy, type BrokerProxy, freePort, startProxy } from './broker-proxy';
export { type PrivateBroker, privateBrokerUnavailable, startPrivateBroker } from './private-broker';
export { createFake, type Fake } from './fake';
export {
  containerFactory,
  type ContainerFactory,
  rpcClientFactory,
  type RpcClientFactory,
  runnerFactory,
  type RunnerFactory,
  testBrokerUri,
} from './factories';
export { eventRecorder, type EventRecorder, type RecordedEvent } from './event-recorder';
export { startServiceUnderTest, type ServiceUnderTest, type ServiceUnderTestOptions } from './service-under-test';
export { deadLetterReason, eventually, workersFinished } from './waiting';
export { workerFactory } from './worker-factory';
export { accessConfig, accessToken, actingAs, as, ed25519Pair, facadeAccessConfig, type Caller, type PemPair, serviceToken, type TestCaller, testAccessKeys } from './access-keys';
export { clusterUnavailable, type RabbitCluster, startRabbitCluster } from './rabbitmq-cluster';
