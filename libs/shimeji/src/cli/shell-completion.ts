// Tab completion in the shell: `.call pay<Tab>` and `.bench` complete `service.method` from the
// last discovery, `.emit` the events some handler listens to; everything else (`n.rpc.pay<Tab>`,
// `n.rpc.payment.pa<Tab>`) is the REPL's own completion over `n.rpc`, whose services and methods
// discovery made real properties.
import type { CompleterResult } from 'node:readline';
import { rpcMethods } from './services-listing';
import type { ShellSession } from './shell-commands';

type Completer = (line: string, callback: (error?: Error | null, result?: CompleterResult) => void) => void;

function candidates(command: string, session: ShellSession): string[] {
  if (command === 'emit') {
    const events = new Set<string>();
    for (const { instances } of session.listing) {
      for (const instance of instances) for (const e of instance.entrypoints) if (e.kind === 'event') events.add(`${e.source}.${e.eventType}`);
    }
    return [...events].sort();
  }
  return [...rpcMethods(session.listing)].flatMap(([service, methods]) => methods.map((method) => `${service}.${method}`));
}

export function shellCompleter(base: Completer, session: ShellSession): Completer {
  return (line, callback) => {
    const command = /^\.(call|bench|emit)\s+(\S*)$/.exec(line);
    if (command) {
      const typed = command[2]!;
      const all = candidates(command[1]!, session);
      const hits = all.filter((candidate) => candidate.startsWith(typed));
      callback(null, [hits.length > 0 ? hits : all, typed]);
      return;
    }
    base(line, callback);
  };
}
