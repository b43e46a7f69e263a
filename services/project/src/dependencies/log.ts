// `log = inject(new WorkerLog())`: the container's logger, tagged with the worker's call id, for
// what a worker should tell an operator without failing (a payment event that was no news).
import { DependencyProvider, type Logger, type WorkerContext } from '@platform/shimeji';

export class WorkerLog extends DependencyProvider<Logger> {
  getDependency(workerCtx: WorkerContext): Logger {
    return this.container.logger.child({ callId: workerCtx.callId });
  }
}
