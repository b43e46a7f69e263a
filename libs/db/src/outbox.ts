// The transactional outbox: `dispatch = inject(new OutboxDispatcher(this.db))`, declared after
// the service's Database. An event dispatched in a worker is stored in the worker's own transaction and
// published once it committed; a relay publishes whatever a crash left behind. So an event goes
// out if and only if its change committed (at least once: consumers dedupe by message id).
import {
  type Dispatch,
  DependencyProvider,
  eventExchangeName,
  eventExchangeOptions,
  eventMessage,
  jsonProperties,
  type OutgoingMessage,
  type WorkerContext,
} from '@platform/shimeji';
import { inSpan, SpanKind } from '@platform/shimeji/tracing';
import type { Knex } from 'knex';
import { Database } from './database';
import { OUTBOX_TABLE } from './framework-migrations';

export interface OutboxOptions {
  /** How often the relay looks for events left unpublished (default 5 s). */
  relayIntervalMs?: number;
  /** Rows younger than this are left to the worker that wrote them (default 10 s). */
  relayGraceMs?: number;
}

interface OutboxRow {
  id: string;
  exchange: string;
  routing_key: string;
  body: string;
  headers: Record<string, unknown> | string;
}

function toRow(message: OutgoingMessage): OutboxRow {
  return {
    id: message.properties.messageId!,
    exchange: message.exchange,
    routing_key: message.routingKey,
    body: message.body.toString('utf8'),
    headers: message.properties.headers ?? {},
  };
}

function toMessage(row: OutboxRow): OutgoingMessage {
  const headers = typeof row.headers === 'string' ? (JSON.parse(row.headers) as Record<string, unknown>) : row.headers;
  return {
    exchange: row.exchange,
    routingKey: row.routing_key,
    body: Buffer.from(row.body, 'utf8'),
    properties: jsonProperties({ messageId: row.id, headers }),
  };
}

export class OutboxDispatcher extends DependencyProvider<Dispatch> {
  private readonly database: Database<any>;
  private relayTimer?: NodeJS.Timeout;
  private stopReading?: () => void;
  private relaying?: Promise<void>;

  /** `db`: the field that injects the service's Database (`this.db`). */
  constructor(db: unknown, private readonly options: OutboxOptions = {}) {
    super();
    this.database = Database.of(db, 'OutboxDispatcher');
  }

  override async setup(): Promise<void> {
    const { transport, serviceName, config } = this.container;
    // Declared as shimeji's own dispatcher and handlers declare it: declarations must agree.
    await transport.assertExchange(eventExchangeName(serviceName), eventExchangeOptions(config));
  }

  override async start(): Promise<void> {
    this.stopReading = this.readWaiting();
    const interval = this.options.relayIntervalMs ?? 5_000;
    this.relayTimer = setInterval(() => {
      this.relaying ??= this.relay()
        .then(() => undefined)
        .catch((error: unknown) => this.container.logger.error({ err: error }, 'outbox relay failed'))
        .finally(() => (this.relaying = undefined));
    }, interval);
  }

  override async stop(): Promise<void> {
    clearInterval(this.relayTimer);
    this.stopReading?.();
    await this.relaying;
  }

  override async kill(): Promise<void> {
    clearInterval(this.relayTimer);
    this.stopReading?.();
  }

  /** Events committed and not yet published, and how long the oldest has waited: read when scraped. */
  private readWaiting(): (() => void) | undefined {
    const metrics = this.container.metrics;
    if (!metrics) return undefined;
    const labels = { service: this.container.serviceName };
    const unpublished = () => this.database.knex(OUTBOX_TABLE).whereNull('published_at');
    const waiting = async () => Number((await unpublished().count({ n: '*' }).first())?.n ?? 0);
    const oldestAgeSeconds = async () => {
      const oldest = (await unpublished().min({ at: 'created_at' }).first())?.at;
      return oldest ? Math.max(0, (Date.now() - new Date(oldest as string).getTime()) / 1000) : 0;
    };
    const stops = [
      metrics.readAtScrape('shimeji_outbox_waiting', 'Events committed in the outbox and not yet published, by service', ['service'], async () => [{ labels, value: await waiting() }]),
      metrics.readAtScrape('shimeji_outbox_oldest_age_seconds', 'How long the oldest unpublished outbox event has waited (0: none waiting)', ['service'], async () => [
        { labels, value: await oldestAgeSeconds() },
      ]),
    ];
    return () => stops.forEach((stop) => stop());
  }

  getDependency(workerCtx: WorkerContext): Dispatch {
    const messages: OutgoingMessage[] = [];
    // Hooked on the first event only: a hook makes the commit begin a transaction, and a worker
    // that dispatches nothing (a read) should not pay a BEGIN and a COMMIT for it.
    const hook = () => {
      const unit = this.database.unitOfWork(workerCtx);
      unit.onBeforeCommit(async (trx) => {
        await trx(OUTBOX_TABLE).insert(messages.map(toRow));
      });
      unit.onAfterCommit(() => this.publish(messages));
    };
    return (eventType, payload) => {
      if (messages.length === 0) hook();
      messages.push(eventMessage(this.container.serviceName, eventType, payload, workerCtx.toHeaders()));
    };
  }

  /** Publishes, with confirms, then marks them published; what fails here the relay sends later. */
  private async publish(messages: OutgoingMessage[]): Promise<void> {
    await this.publishInSpan(messages);
    await this.database.knex(OUTBOX_TABLE)
      .whereIn('id', messages.map((m) => m.properties.messageId!))
      .update({ published_at: this.database.knex.fn.now() });
  }

  private publishInSpan(messages: OutgoingMessage[]): Promise<unknown> {
    const published = (message: OutgoingMessage) => this.container.metrics?.eventsDispatched.inc({ service: this.container.serviceName, type: message.routingKey });
    const publishAll = () => Promise.all(messages.map((message) => this.container.transport.publish(message).then(() => published(message))));
    const attributes = { 'messaging.system': 'rabbitmq', 'messaging.operation.type': 'send', 'messaging.batch.message_count': messages.length, 'messaging.rabbitmq.destination.routing_key': messages.map((m) => m.routingKey).join(',') };
    return inSpan('outbox publish', attributes, publishAll, SpanKind.PRODUCER);
  }

  /** Publishes events that were committed but never published (the process died in between). */
  async relay(): Promise<number> {
    const graceMs = this.options.relayGraceMs ?? 10_000;
    const db = this.database.knex;
    return db.transaction(async (trx: Knex.Transaction) => {
      const rows: OutboxRow[] = await trx(OUTBOX_TABLE)
        .whereNull('published_at')
        .andWhere('created_at', '<', new Date(Date.now() - graceMs))
        .orderBy('created_at')
        .limit(100)
        .forUpdate()
        .skipLocked();
      if (rows.length === 0) return 0;
      await this.publishInSpan(rows.map(toMessage));
      await trx(OUTBOX_TABLE)
        .whereIn('id', rows.map((r) => r.id))
        .update({ published_at: trx.fn.now() });
      this.container.logger.info({ events: rows.length }, 'outbox relay published events left behind');
      return rows.length;
    });
  }
}
