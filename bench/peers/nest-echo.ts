// NestJS 11 (12 needs Node 22 through its file-type dependency) with @nestjs/microservices'
// RMQ transport: a microservice app with an `echo` message pattern, called through ClientRMQ.
//
// Made comparable with the others: the server consumes with noAck: false and prefetch 64, the
// handler acks each request itself (with noAck: false Nest never acks), requests are persistent,
// and both connections set TCP_NODELAY through `socketOptions.connectionOptions`, which
// amqp-connection-manager hands to amqplib's connect. Nest's own design otherwise: publisher
// confirms on both sides (amqp-connection-manager's confirm channels), replies through
// RabbitMQ's direct reply-to (`amq.rabbitmq.reply-to`: no reply queue, no persistence, no acks).
// The request is acked in the handler, before its reply is published.
//
// Nest's decorators are legacy (experimentalDecorators) ones; this repository compiles TC39
// decorators, so they are applied by hand, which is all `@X()` does in legacy mode.
import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientRMQ, Ctx, MessagePattern, type MicroserviceOptions, Payload as NestPayload, RmqContext, type RmqOptions, Transport } from '@nestjs/microservices';
import { firstValueFrom } from 'rxjs';
import type { EchoTarget } from '../rpc/measure';
import type { Payload } from '../rpc/payload';

export interface NestEchoOptions {
  uri: string;
  runId: string;
  prefetch: number;
  onQueue(name: string): void;
}

export interface NestEcho extends EchoTarget {
  close(): Promise<void>;
}

class EchoController {
  echo(payload: Payload, context: RmqContext): Payload {
    (context.getChannelRef() as { ack(message: unknown): void }).ack(context.getMessage());
    return payload;
  }
}
NestPayload()(EchoController.prototype, 'echo', 0);
Ctx()(EchoController.prototype, 'echo', 1);
MessagePattern('echo')(EchoController.prototype, 'echo', Object.getOwnPropertyDescriptor(EchoController.prototype, 'echo')!);
Controller()(EchoController);

class EchoModule {}
Module({ controllers: [EchoController] })(EchoModule);

export async function startNestEcho(options: NestEchoOptions): Promise<NestEcho> {
  const queue = `bench.rpc.nest-${options.runId}`;
  const socketOptions = { connectionOptions: { noDelay: true } };
  options.onQueue(queue);
  const server = await NestFactory.createMicroservice<MicroserviceOptions>(EchoModule, {
    transport: Transport.RMQ,
    logger: false,
    options: {
      urls: [options.uri],
      queue,
      queueOptions: { durable: true },
      noAck: false,
      prefetchCount: options.prefetch,
      socketOptions,
    },
  });
  let client: ClientRMQ | undefined;
  try {
    await server.listen();
    const clientOptions: RmqOptions['options'] = {
      urls: [options.uri],
      queue,
      queueOptions: { durable: true },
      persistent: true,
      socketOptions,
    };
    client = new ClientRMQ(clientOptions!);
    await client.connect();
  } catch (error) {
    await client?.close().catch(() => undefined);
    await server.close().catch(() => undefined);
    throw error;
  }
  const connected = client;
  return {
    label: 'NestJS 11 (RMQ)',
    call: (payload) => firstValueFrom(connected.send<Payload, Payload>('echo', payload)),
    close: async () => {
      await connected.close();
      await server.close();
    },
  };
}
