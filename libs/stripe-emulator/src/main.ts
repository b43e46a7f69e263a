// The `stripe-emulator` command: serves until SIGINT or SIGTERM.
//   stripe-emulator [--port 12111] [--host 127.0.0.1] [--latency-ms 0]
import { startStripeEmulator } from './server';

export const DEFAULT_PORT = 12111;

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

export async function main(args: string[]): Promise<void> {
  if (args.includes('--help')) {
    console.log('usage: stripe-emulator [--port 12111] [--host 127.0.0.1] [--latency-ms 0]');
    return;
  }
  const emulator = await startStripeEmulator({
    port: Number(option(args, '--port') ?? DEFAULT_PORT),
    host: option(args, '--host') ?? '127.0.0.1',
    latencyMs: Number(option(args, '--latency-ms') ?? 0),
  });
  console.log(`stripe emulator listening on ${emulator.url} (any sk_test_ key; STRIPE_API_BASE=${emulator.url})`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await emulator.close();
}
