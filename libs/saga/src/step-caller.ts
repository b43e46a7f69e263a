// How a remote step reaches its service. The runner only knows this interface: in a service it
// is RPC over the container's broker (rpc-step-caller.ts), in a unit test a table of fakes.
import type { StepPhase } from './saga-store';

/** One call of a remote step or of its compensation. */
export interface StepCall {
  service: string;
  method: string;
  args: unknown[];
  /**
   * `saga:<saga id>:<step>` (`…:compensate` for the compensation): the same on every try and
   * after a restart, so an idempotent entrypoint (`@rpc({ idempotent: true })`) acts once.
   */
  idempotencyKey: string;
  sagaId: string;
  saga: string;
  step: string;
  phase: StepPhase;
}

/** Makes a remote step's call and resolves with its reply. Implement it to call another way. */
export type StepCaller = (call: StepCall) => Promise<unknown>;

/** The idempotency key of a step's execution or compensation. */
export function stepIdempotencyKey(sagaId: string, step: string, phase: StepPhase): string {
  return phase === 'execute' ? `saga:${sagaId}:${step}` : `saga:${sagaId}:${step}:compensate`;
}
