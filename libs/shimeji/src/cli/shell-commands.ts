// The shell's dot commands: `.services`, `.call`, `.emit`, `.bench`. Arguments are JavaScript
// evaluated in the shell's context: `{orderId: 1}` are keyword arguments, `[1, 'EUR']`
// positional ones, anything else the one positional argument.
import type repl from 'node:repl';
import vm from 'node:vm';
import type { ServiceListing } from '../discovery';
import type { ClusterEventDispatcher } from '../standalone/cluster-event-dispatcher';
import type { ClusterRpcClient } from '../standalone/cluster-rpc-client';
import { benchCalls, formatBench } from './call-bench';
import { oneLineError } from './one-line-error';
import { formatListing } from './services-listing';

/** What the commands and the completion share: the connections and the last listing. */
export interface ShellSession {
  client: ClusterRpcClient;
  dispatcher: ClusterEventDispatcher;
  output: NodeJS.WritableStream;
  listing: ServiceListing[];
  /** Asks the broker again; the listing and `n.rpc`'s methods follow. */
  discover(): Promise<ServiceListing[]>;
}

interface Parsed {
  service: string;
  name: string;
  argsSource: string;
  flags: Record<string, number>;
}

const USAGE = {
  call: '.call <service>.<method> [{kwargs} | [args] | value]',
  emit: '.emit <service>.<event_type> [payload]',
  bench: '.bench <service>.<method> [{kwargs} | [args]] [--n 100] [--concurrency 10]',
};

/** `payment.payOrder {orderId: 1} --n 5` → its parts; flags are `--name <whole number>` at the end. */
export function parseTarget(text: string, usage: string): Parsed {
  const flags: Record<string, number> = {};
  const rest = text.replace(/\s+--([a-z]+)\s+(\S+)/g, (_all, flag: string, value: string) => {
    flags[flag] = Number(value);
    return '';
  });
  const match = /^\s*([\w-]+)\.([\w-]+)\s*([\s\S]*)$/.exec(rest);
  if (!match) throw new SyntaxError(`usage: ${usage}`);
  return { service: match[1]!, name: match[2]!, argsSource: match[3]!.trim(), flags };
}

function evaluateArguments(source: string, context: vm.Context): { args: unknown[]; kwargs?: Record<string, unknown> } {
  if (!source) return { args: [] };
  const value: unknown = vm.runInContext(`(${source})`, context);
  if (Array.isArray(value)) return { args: value };
  if (value !== null && typeof value === 'object') return { args: [], kwargs: value as Record<string, unknown> };
  return { args: [value] };
}

const show = (value: unknown): string => (value === undefined ? 'null' : JSON.stringify(value, null, 2));

export function defineShellCommands(server: repl.REPLServer, session: ShellSession): void {
  const { output } = session;
  const command = (name: string, help: string, action: (text: string) => Promise<void>) => {
    server.defineCommand(name, {
      help,
      action(text: string) {
        this.clearBufferedCommand();
        void action(text)
          .catch((error: unknown) => void output.write(`${oneLineError(error)}\n`))
          .finally(() => this.displayPrompt());
      },
    });
  };

  command('services', 'List the services on the broker, their instances and entrypoints', async () => {
    output.write(formatListing(await session.discover()));
  });

  command('call', `Call a method: ${USAGE.call}`, async (text) => {
    const { service, name, argsSource } = parseTarget(text, USAGE.call);
    const { args, kwargs } = evaluateArguments(argsSource, server.context);
    output.write(`${show(await session.client.call(service, name, args, kwargs ? { kwargs } : {}))}\n`);
  });

  command('emit', `Dispatch an event as the service would: ${USAGE.emit}`, async (text) => {
    const { service, name, argsSource } = parseTarget(text, USAGE.emit);
    const payload: unknown = argsSource ? vm.runInContext(`(${argsSource})`, server.context) : null;
    await session.dispatcher.dispatch(service, name, payload);
    output.write(`dispatched ${service}.${name}\n`);
  });

  command('bench', `Benchmark a method: ${USAGE.bench}`, async (text) => {
    const { service, name, argsSource, flags } = parseTarget(text, USAGE.bench);
    const { args, kwargs } = evaluateArguments(argsSource, server.context);
    const calls = flags.n ?? 100;
    const concurrency = flags.concurrency ?? 10;
    const result = await benchCalls(() => session.client.call(service, name, args, kwargs ? { kwargs } : {}), {
      calls,
      concurrency,
      onProgress: (finished) => output.write(`  … ${finished}/${calls}\n`),
    });
    output.write(formatBench(`${service}.${name}`, result, concurrency));
  });
}
