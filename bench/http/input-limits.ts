// Input that cannot hurt: bodies nested deep, arrays wide and strings long are refused by a facade
// (400) in a few milliseconds each, against a flat body of the same size that it takes, measured
// in this process, interleaved. The target is 10 ms a refusal; the exit code is 1 if a median is
// over it. `npm run input-limits -w @platform/bench`.
import { buildFacade, type Facade } from '@platform/http';
import { z } from 'zod';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200);
const TARGET_MS = 10;

/** 500 fields of 100 characters: as large as the others, within every limit. */
const flat = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, 'x'.repeat(100)]));

const bodies: Record<string, string> = {
  'flat (taken)': JSON.stringify(flat),
  'nested 20,000 deep': `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  'objects nested 7,500 deep': `${'{"a":'.repeat(7_500)}1${'}'.repeat(7_500)}`,
  'an array of 20,000 items': JSON.stringify(Array(20_000).fill(1)),
  'a string of 59,000 characters': JSON.stringify({ text: 'y'.repeat(59_000) }),
  'a key of 20,000 characters': JSON.stringify({ ['k'.repeat(20_000)]: 1 }),
};

async function facade(): Promise<Facade> {
  const app = await buildFacade({
    name: 'bench',
    audience: 'bench',
    jwtSecret: 'bench-secret-bench-secret-bench-secret',
    rpcClient: { call: async () => ({}) },
    logger: false,
  });
  app.post('/any', { config: { access: 'public' }, schema: { body: z.unknown() } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const app = await facade();
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(bodies).map((name) => [name, []]));
  const statuses: Record<string, Set<number>> = Object.fromEntries(Object.keys(bodies).map((name) => [name, new Set<number>()]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, payload] of Object.entries(bodies)) {
      const start = process.hrtime.bigint();
      const res = await app.inject({ method: 'POST', url: '/any', headers: { 'content-type': 'application/json' }, payload });
      times[name]!.push(Number(process.hrtime.bigint() - start) / 1e6);
      statuses[name]!.add(res.statusCode);
    }
  }
  await app.close();
  const baseline = median(times['flat (taken)']!);
  const lines = ['| body | status | median ms | × flat |', '| --- | --- | ---: | ---: |'];
  let over = false;
  for (const name of Object.keys(bodies)) {
    const ms = median(times[name]!);
    const refused = name !== 'flat (taken)';
    if (refused && (ms > TARGET_MS || !statuses[name]!.has(400) || statuses[name]!.size !== 1)) over = true;
    lines.push(`| ${name} | ${[...statuses[name]!].join(', ')} | ${ms.toFixed(2)} | ${(ms / baseline).toFixed(2)} |`);
  }
  console.log(`${lines.join('\n')}\n\n${ROUNDS} rounds, interleaved; bodies of about 55 KiB (the limit is 64 KiB); target: each refusal (400) within ${TARGET_MS} ms`);
  if (over) {
    console.error('a refusal was slower than the target or not a 400');
    process.exitCode = 1;
  }
}

void main();
