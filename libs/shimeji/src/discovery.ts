// Discovery: which services run on a broker, their instances and their entrypoints, for the
// shell and `shimeji services`. Ours, not Nameko's, and kept off Nameko's exchanges: every
// running container binds an exclusive, auto-delete queue of its own to the exchange
// `shimeji.discovery` and answers a describe request published there (reply_to + correlation
// id) on the default exchange, straight to the asker's own exclusive queue. A Nameko service
// never sees any of it, and `nameko-rpc` gains no queue and no binding.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { accessConfigured, verifierFromConfig } from './access-keys';
import type { AllowRule } from './access-rules';
import { AUTH_TOKEN_KEY, type TokenVerifier } from './access-tokens';
import type { ServiceConfig } from './config';
import {
  CONFIG_KEYS,
  DEFAULT_EXCHANGE,
  DISCOVERY_EXCHANGE,
  DISCOVERY_ROUTING_KEY,
  discoveryQueueName,
  discoveryReplyQueueName,
  JSON_CONTENT_TYPE,
  UTF8,
} from './constants';
import { EventHandler } from './event-handler';
import { type Entrypoint, SharedExtension } from './extensions';
import type { Parameter } from './parameters';
import { RpcEntrypoint } from './rpc';
import { Timer } from './timer';
import type { Consumer, Delivery, Headers, Transport } from './transport/transport';
import { contextFromHeaders, contextToHeaders } from './worker-context';

/** The version of the describe exchange of messages; an answer of a later one is still read. */
export const DISCOVERY_PROTOCOL = 1;
/** How long an asker collects answers by default. */
export const DEFAULT_DISCOVERY_WINDOW_MS = 500;

export type EntrypointDescription =
  | {
      kind: 'rpc';
      method: string;
      /** In positional order: from `@rpc({ args })` when declared, else read from the method's source. */
      parameters: Parameter[];
      /** The arguments are declared (and checked before the worker runs), not read from the source. */
      declared: boolean;
      allow?: AllowRule;
    }
  | { kind: 'event'; method: string; source: string; eventType: string; handlerType: string }
  | { kind: 'timer'; method: string; intervalSeconds: number }
  | { kind: 'other'; method: string; description: string };

/** What one running instance of a service says about itself. */
export interface InstanceDescription {
  protocol: number;
  service: string;
  instanceId: string;
  host: string;
  pid: number;
  /** ISO 8601. */
  startedAt: string;
  running: boolean;
  maxWorkers: number;
  workersInFlight: number;
  entrypoints: EntrypointDescription[];
  /** Set instead of the entrypoints when the instance refused to describe itself (no valid access token). */
  refused?: string;
}

/** The instances that answered, grouped by service: what the listings show. */
export interface ServiceListing {
  service: string;
  instances: InstanceDescription[];
}

export interface DiscoverOptions {
  /** How long to collect answers (default 500 ms): every instance that answers within it is listed. */
  windowMs?: number;
  /** Context data sent with the request; services that check access tokens answer only to a valid `auth_token`. */
  contextData?: Record<string, unknown>;
}

/** Whether containers of this config answer describe requests (config `discovery`, default true). */
export function discoveryEnabled(config: ServiceConfig): boolean {
  const value = config[CONFIG_KEYS.discovery];
  return !(value === false || value === 'false' || value === 'off' || value === '0' || value === 0);
}

/** The shared-extension key the container registers the responder under. */
export const DISCOVERY_EXTENSION = 'discovery';

/** Answers describe requests for its container, from its own exclusive queue on `shimeji.discovery`. */
export class DiscoveryResponder extends SharedExtension {
  readonly instanceId = randomUUID().replace(/-/g, '').slice(0, 12);
  private queue = '';
  private consumer?: Consumer;
  private startedAt = new Date();
  private verifier?: TokenVerifier;

  override async setup(): Promise<void> {
    const { serviceName, transport, config } = this.container;
    // A service that checks who calls it says what it serves only to a caller it would serve.
    if (accessConfigured(config)) this.verifier = await verifierFromConfig(config, serviceName);
    this.queue = discoveryQueueName(serviceName, this.instanceId);
    await transport.assertExchange(DISCOVERY_EXCHANGE, { durable: true });
    await transport.assertQueue(this.queue, { durable: false, autoDelete: true, exclusive: true });
    await transport.bindQueue(this.queue, DISCOVERY_EXCHANGE, DISCOVERY_ROUTING_KEY);
  }

  override async start(): Promise<void> {
    this.startedAt = new Date();
    this.consumer = await this.container.transport.consume(this.queue, (delivery) => void this.answer(delivery), { prefetch: 4 });
  }

  override async stop(): Promise<void> {
    await this.consumer?.cancel();
    this.consumer = undefined;
  }

  override async kill(): Promise<void> {
    await this.stop();
  }

  /** This instance as a describe request is answered. */
  describe(): InstanceDescription {
    const container = this.container;
    return {
      protocol: DISCOVERY_PROTOCOL,
      service: container.serviceName,
      instanceId: this.instanceId,
      host: os.hostname(),
      pid: process.pid,
      startedAt: this.startedAt.toISOString(),
      running: container.isRunning,
      maxWorkers: container.maxWorkers,
      workersInFlight: container.workersInFlight,
      entrypoints: container.entrypoints.map(describeEntrypoint),
    };
  }

  private async answer(delivery: Delivery): Promise<void> {
    delivery.ack();
    const { replyTo, correlationId } = delivery.properties;
    if (!replyTo) return;
    let body: InstanceDescription;
    try {
      body = this.describe();
      if (this.verifier) {
        const { data } = contextFromHeaders(delivery.properties.headers);
        try {
          await this.verifier.verify(data[AUTH_TOKEN_KEY]);
        } catch (error) {
          body = { ...body, entrypoints: [], refused: `${(error as Error).constructor.name}: ${(error as Error).message}` };
        }
      }
      await this.container.transport.publish({
        exchange: DEFAULT_EXCHANGE,
        routingKey: replyTo,
        body: Buffer.from(JSON.stringify(body)),
        properties: { contentType: JSON_CONTENT_TYPE, contentEncoding: UTF8, deliveryMode: 1, correlationId },
        unconfirmed: true,
      });
    } catch (error) {
      this.container.logger.warn({ err: error }, 'could not answer a discovery request');
    }
  }
}

export function describeEntrypoint(entrypoint: Entrypoint): EntrypointDescription {
  if (entrypoint instanceof RpcEntrypoint) {
    const allow = entrypoint.options.allow;
    return {
      kind: 'rpc',
      method: entrypoint.methodName,
      parameters: entrypoint.parameters.map((p) => ({ name: p.name, optional: p.optional, rest: p.rest })),
      declared: entrypoint.options.args !== undefined,
      ...(allow === undefined ? {} : { allow }),
    };
  }
  if (entrypoint instanceof EventHandler) {
    return {
      kind: 'event',
      method: entrypoint.methodName,
      source: entrypoint.sourceService,
      eventType: entrypoint.eventType,
      handlerType: entrypoint.handlerType,
    };
  }
  if (entrypoint instanceof Timer) return { kind: 'timer', method: entrypoint.methodName, intervalSeconds: entrypoint.intervalSeconds };
  return { kind: 'other', method: entrypoint.methodName, description: entrypoint.describe() };
}

/**
 * Asks every container on the broker to describe itself and collects the answers for
 * `windowMs`. The transport must be connected; it is left open.
 */
export async function discoverInstances(transport: Transport, options: DiscoverOptions = {}): Promise<InstanceDescription[]> {
  const windowMs = options.windowMs ?? DEFAULT_DISCOVERY_WINDOW_MS;
  const queue = discoveryReplyQueueName(randomUUID());
  const correlationId = randomUUID();
  const answers = new Map<string, InstanceDescription>();
  await transport.assertExchange(DISCOVERY_EXCHANGE, { durable: true });
  await transport.assertQueue(queue, { durable: false, autoDelete: true, exclusive: true });
  let consumer: Consumer | undefined;
  try {
    consumer = await transport.consume(
      queue,
      (delivery) => {
        delivery.ack();
        if (delivery.properties.correlationId !== correlationId) return;
        const answer = readAnswer(delivery.body);
        if (answer) answers.set(`${answer.service}/${answer.instanceId}`, answer);
      },
      { prefetch: 0 },
    );
    const headers: Headers = contextToHeaders(options.contextData ?? {}, []);
    await transport.publish({
      exchange: DISCOVERY_EXCHANGE,
      routingKey: DISCOVERY_ROUTING_KEY,
      body: Buffer.from(JSON.stringify({ protocol: DISCOVERY_PROTOCOL, type: 'describe' })),
      properties: { contentType: JSON_CONTENT_TYPE, contentEncoding: UTF8, deliveryMode: 1, correlationId, replyTo: queue, headers },
    });
    await new Promise((resolve) => setTimeout(resolve, windowMs));
  } finally {
    await consumer?.cancel().catch(() => undefined);
    await transport.deleteQueue(queue).catch(() => undefined);
  }
  return [...answers.values()].sort((a, b) => a.service.localeCompare(b.service) || a.startedAt.localeCompare(b.startedAt));
}

/** The services on the broker, each with the instances that answered, by name. */
export async function discoverServices(transport: Transport, options: DiscoverOptions = {}): Promise<ServiceListing[]> {
  return groupByService(await discoverInstances(transport, options));
}

export function groupByService(instances: readonly InstanceDescription[]): ServiceListing[] {
  const byName = new Map<string, InstanceDescription[]>();
  for (const instance of instances) {
    const list = byName.get(instance.service) ?? [];
    list.push(instance);
    byName.set(instance.service, list);
  }
  return [...byName.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([service, list]) => ({ service, instances: list }));
}

function readAnswer(body: Buffer): InstanceDescription | undefined {
  try {
    const value = JSON.parse(body.toString('utf8')) as Partial<InstanceDescription>;
    if (typeof value.service !== 'string' || typeof value.instanceId !== 'string' || !Array.isArray(value.entrypoints)) return undefined;
    return value as InstanceDescription;
  } catch {
    return undefined;
  }
}
