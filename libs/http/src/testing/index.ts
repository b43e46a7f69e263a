export { FakeRpc, type RecordedCall } from './fake-rpc';
