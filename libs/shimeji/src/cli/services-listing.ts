// The listing `shimeji services` and the shell's `.services` print: what discovery found, one
// block per service, each instance on a line, then the entrypoints as a caller would write them.
import type { AllowRule } from '../access-rules';
import type { EntrypointDescription, InstanceDescription, ServiceListing } from '../discovery';

/** `payOrder(orderId, cardId?)`: a method's parameters as a caller passes them. */
export function signature(entrypoint: Extract<EntrypointDescription, { kind: 'rpc' }>): string {
  const parameters = entrypoint.parameters.map((p, i) => `${p.rest ? '...' : ''}${p.name ?? `arg${i}`}${p.optional && !p.rest ? '?' : ''}`);
  return `${entrypoint.method}(${parameters.join(', ')})`;
}

/** Who may call it: `[admin, support]`, `[anyone]`, `[admin; self: ownerId]`. */
function allowed(allow: AllowRule | undefined): string {
  if (allow === undefined) return '';
  if (typeof allow === 'string') return `  [${allow}]`;
  if (isRoleList(allow)) return `  [${allow.join(', ')}]`;
  const parts = [...(allow.roles ?? [])];
  if (allow.self) parts.push(`self: ${allow.self}`);
  if (allow.actor) parts.push(`actor: ${allow.actor}`);
  return `  [${parts.join('; ')}]`;
}

const isRoleList = (allow: AllowRule): allow is readonly string[] => Array.isArray(allow);

function entrypointLine(entrypoint: EntrypointDescription): string {
  switch (entrypoint.kind) {
    case 'rpc':
      return `rpc    ${signature(entrypoint)}${allowed(entrypoint.allow)}`;
    case 'event':
      return `event  ${entrypoint.method} <- ${entrypoint.source}.${entrypoint.eventType} (${entrypoint.handlerType})`;
    case 'timer':
      return `timer  ${entrypoint.method} every ${entrypoint.intervalSeconds} s`;
    default:
      return `other  ${entrypoint.method}: ${entrypoint.description}`;
  }
}

function instanceLine(instance: InstanceDescription, now: number): string {
  const up = Math.max(0, Math.round((now - Date.parse(instance.startedAt)) / 1000));
  const state = instance.running ? `up ${up} s` : 'not running';
  return `  ${instance.instanceId}  ${instance.host} pid ${instance.pid}  ${state}, workers ${instance.workersInFlight}/${instance.maxWorkers}`;
}

/** The instances that refused to describe themselves say why; the others share one list of entrypoints. */
export function formatListing(listing: readonly ServiceListing[], now = Date.now()): string {
  if (listing.length === 0) return 'no service answered (none running on this broker, or all with discovery off)\n';
  const blocks = listing.map(({ service, instances }) => {
    const lines = [`${service}  (${instances.length} instance${instances.length === 1 ? '' : 's'})`];
    for (const instance of instances) lines.push(instanceLine(instance, now));
    const described = instances.find((instance) => instance.refused === undefined);
    if (described) for (const entrypoint of described.entrypoints) lines.push(`    ${entrypointLine(entrypoint)}`);
    else lines.push(`    entrypoints not shown: ${instances[0]!.refused} (pass --token)`);
    return lines.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

/** The RPC method names each service answers, for completion and `.call`. */
export function rpcMethods(listing: readonly ServiceListing[]): Map<string, string[]> {
  const methods = new Map<string, string[]>();
  for (const { service, instances } of listing) {
    const names = new Set<string>();
    for (const instance of instances) for (const e of instance.entrypoints) if (e.kind === 'rpc') names.add(e.method);
    methods.set(service, [...names].sort());
  }
  return methods;
}
