// `log = inject(new WorkerLogger())`: the container's logger, tagged with the worker's call id,
// call-id stack, facade request id (worker-log-line's fields) and method, for what a worker
// tells an operator without failing. Built only when a line is written at a level that is on:
// a child logger costs more than most of a call's path.
import { DependencyProvider } from './extensions';
import type { Logger } from './logger';
import type { WorkerContext } from './worker-context';
import { workerFields } from './worker-log-line';

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
    const logger = (): Logger => (child ??= this.container.logger.child({ ...workerFields(workerCtx), method: workerCtx.methodName }));
    const at =
      (level: keyof WorkerLog): LogMethod =>
      (objectOrMessage, message) => {
        if (!this.container.logger.isLevelEnabled(level)) return;
        if (message === undefined) logger()[level](objectOrMessage as string);
        else logger()[level](objectOrMessage as object, message);
      };
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  }
}
