// `log = inject(new WorkerLogger())`: the container's logger, tagged with the worker's call id
// and method, for what a worker tells an operator without failing. Built only when used: a
// child logger costs more than most of a call's path.
import { DependencyProvider } from './extensions';
import type { Logger } from './logger';
import type { WorkerContext } from './worker-context';

type LogMethod = (objectOrMessage: unknown, message?: string) => void;

export interface WorkerLog {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

export class WorkerLogger extends DependencyProvider<WorkerLog> {
  getDependency(workerCtx: WorkerContext): WorkerLog {
    let child: Logger | undefined;
    const logger = (): Logger => (child ??= this.container.logger.child({ callId: workerCtx.callId, method: workerCtx.methodName }));
    const at =
      (level: keyof WorkerLog): LogMethod =>
      (objectOrMessage, message) =>
        message === undefined ? logger()[level](objectOrMessage as string) : logger()[level](objectOrMessage as object, message);
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  }
}
