// amqplib writes each message's frames to the socket on their own, and an ack on its own: a busy
// connection makes a system call per message (3.0 socket writes per RPC call measured, caller and
// service together). Its multiplexer already writes what its channels have queued in one go, once
// per turn of the event loop; corking the socket around that turn makes it one writev(2) (0.13
// writes per call at 50 in flight). The bytes and
// their order are the same (test/wire/publish-frames.test.ts and the wire tests read them).
import type * as amqp from 'amqplib';

interface MuxLike {
  _readIncoming(): void;
}

interface CorkableStream {
  cork(): void;
  uncork(): void;
}

/** The internals this needs, present in amqplib 0.10 and 2.x (a test pins them, for upgrades). */
function internals(model: amqp.ChannelModel): { mux: MuxLike; stream: CorkableStream } | undefined {
  const connection = (model as unknown as { connection?: { muxer?: Partial<MuxLike>; stream?: Partial<CorkableStream> } }).connection;
  const mux = connection?.muxer;
  const stream = connection?.stream;
  if (typeof mux?._readIncoming !== 'function' || typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return undefined;
  return { mux: mux as MuxLike, stream: stream as CorkableStream };
}

/** Whether this amqplib can have its writes batched (else it works as it is). */
export function writesBatchable(model: amqp.ChannelModel): boolean {
  return internals(model) !== undefined;
}

/** Makes each turn of amqplib's multiplexer one socket write. */
export function batchWrites(model: amqp.ChannelModel): void {
  const found = internals(model);
  if (!found) return;
  const { mux, stream } = found;
  const readIncoming = mux._readIncoming.bind(mux);
  mux._readIncoming = () => {
    stream.cork();
    try {
      readIncoming();
    } finally {
      stream.uncork();
    }
  };
}
