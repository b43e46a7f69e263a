import { contextFromHeaders, contextToHeaders, WorkerContext } from '../../src';

describe('the worker context', () => {
  it('keeps up to parentCallsTracked ancestors plus the call’s own id', () => {
    const parents = ['a', 'b', 'c'];
    const ctx = new WorkerContext('svc', 'method', [], {}, parents, 2);
    expect(ctx.callIdStack).toEqual(['b', 'c', ctx.callId]);
    expect(ctx.immediateParentCallId).toBe('c');
    expect(new WorkerContext('svc', 'method', [], {}, parents, 1).immediateParentCallId).toBe('c');
    expect(ctx.callId).toMatch(/^svc\.method\.[0-9a-f-]{36}$/);
  });

  it('carries context data as nameko.* headers and reads them back', () => {
    const headers = contextToHeaders({ user_id: 'u-1', language: 'en-gb', missing: undefined }, ['x.y.1']);
    expect(headers).toEqual({ 'nameko.user_id': 'u-1', 'nameko.language': 'en-gb', 'nameko.call_id_stack': ['x.y.1'] });
    expect(contextFromHeaders({ ...headers, 'x-other': 1 })).toEqual({
      data: { user_id: 'u-1', language: 'en-gb' },
      callIdStack: ['x.y.1'],
    });
  });

  it('keeps the access token out of the headers of the events a worker dispatches', () => {
    const ctx = new WorkerContext('svc', 'method', [], { user_id: 'u-1', auth_token: 'eyJ.secret.token' });
    expect(ctx.toHeaders()).toEqual({ 'nameko.user_id': 'u-1', 'nameko.call_id_stack': ctx.callIdStack });
  });
});
