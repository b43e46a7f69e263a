// The echoed payload. Every call carries a distinct id, so a reply delivered to the wrong
// caller, or twice, shows up as a mismatch instead of passing as "an echo came back".
import { isDeepStrictEqual } from 'node:util';

export interface Payload {
  id: number;
  user: string;
  text: string;
  tags: string[];
  ok: boolean;
}

export function makePayload(id: number): Payload {
  return { id, user: 'bench-user', text: 'quick brown fox jumps over', tags: ['a', 'bb', 'ccc'], ok: true };
}

export function payloadBytes(): number {
  return Buffer.byteLength(JSON.stringify(makePayload(1_000_000)));
}

export class EchoMismatch extends Error {
  constructor(implementation: string, sent: Payload, got: unknown) {
    super(`${implementation}: reply does not match its request\n  sent: ${JSON.stringify(sent)}\n  got:  ${JSON.stringify(got)}`);
    this.name = 'EchoMismatch';
  }
}

export function checkEcho(implementation: string, sent: Payload, got: unknown): void {
  if (!isDeepStrictEqual(sent, got)) throw new EchoMismatch(implementation, sent, got);
}
