// What a client sends is held to limits of shape before anything else looks at it.
import { z } from 'zod';
import { DEFAULT_INPUT_LIMITS, type FacadeOptions, pastLimit } from '../src';
import { testFacade } from './support/test-facade';


/** A facade with one public route that takes any JSON body and calls a service with it. */
async function facade(options: Partial<FacadeOptions> = {}) {
  const calls: unknown[] = [];
  const app = await testFacade({ rpcClient: { call: async (_service: string, _method: string, args?: unknown[]) => (calls.push(args), { ok: true }) }, ...options });
  app.post('/anything', { config: { access: 'public' }, schema: { body: z.unknown(), querystring: z.object({ q: z.string().optional() }) } }, async (request) =>
    request.rpc.call('notes', 'write', [request.body]),
  );
  await app.ready();
  return { app, calls };
}

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('limits on what a client sends', () => {
  it('refuses a body nested deeper than the limit with 400 naming it, and calls no service', async () => {
    const { app, calls } = await facade();
    for (const depth of [33, 20_000]) {
      const res = await app.inject({ method: 'POST', url: '/anything', headers: { 'content-type': 'application/json' }, payload: nested(depth) });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        error: 'VALIDATION_FAILED',
        message: 'invalid body: body: nested deeper than 32 levels, the limit',
        details: [{ field: 'body', message: 'nested deeper than 32 levels, the limit' }],
      });
    }
    expect(calls).toEqual([]);
  });

  it('takes a body nested as deep as the limit', async () => {
    const { app, calls } = await facade();
    const res = await app.inject({ method: 'POST', url: '/anything', headers: { 'content-type': 'application/json' }, payload: nested(32) });
    expect(res.statusCode).toBe(200);
    expect(calls).toHaveLength(1);
  });

  it('refuses an array or a string past the limit, naming the field', async () => {
    const { app, calls } = await facade();
    const tooMany = await app.inject({ method: 'POST', url: '/anything', payload: { order: { lines: Array(1001).fill(1) } } });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().details).toEqual([{ field: 'order.lines', message: 'more than 1000 items, the limit' }]);
    const tooLong = await app.inject({ method: 'POST', url: '/anything', payload: { notes: ['ok', 'x'.repeat(10_001)] } });
    expect(tooLong.json().details).toEqual([{ field: 'notes.1', message: 'longer than 10000 characters, the limit' }]);
    const longQuery = await app.inject({ method: 'POST', url: `/anything?q=${'y'.repeat(10_001)}`, payload: {} });
    expect(longQuery.json().details).toEqual([{ field: 'q', message: 'longer than 10000 characters, the limit' }]);
    expect(calls).toEqual([]);
  });

  it('takes limits of the facade’s own, and refuses nonsense ones when it is built', async () => {
    const { app } = await facade({ inputLimits: { arrayLength: 2 } });
    const res = await app.inject({ method: 'POST', url: '/anything', payload: [1, 2, 3] });
    expect(res.json().details).toEqual([{ field: 'body', message: 'more than 2 items, the limit' }]);
    await expect(facade({ inputLimits: { depth: 0 } })).rejects.toThrow('input limit depth must be a whole number of at least 1, got 0');
  });

  it('walks input of any depth without recursion', () => {
    let deep: unknown = 'end';
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    expect(pastLimit(deep, { ...DEFAULT_INPUT_LIMITS, depth: 1_000_000 }, 'body')).toBeUndefined();
    expect(pastLimit(deep, DEFAULT_INPUT_LIMITS, 'body')).toEqual({ field: 'body', message: 'nested deeper than 32 levels, the limit' });
  });
});
