import { bindArguments, IncorrectSignature, readParameters } from '../../src';

class Sample {
  async plain(orderId: number, paymentMethodId: string) {
    return [orderId, paymentMethodId];
  }
  async withDefaults(name: string, greeting = 'hello, (world)', options = { loud: false }) {
    return [name, greeting, options];
  }
  async rest(first: string, ...others: string[]) {
    return [first, others];
  }
  async destructured({ id }: { id: string }, tag: string) {
    return [id, tag];
  }
}

const params = (name: keyof Sample) => readParameters(Sample.prototype[name] as (...args: unknown[]) => unknown);

describe('reading a method’s parameters', () => {
  it('reads names, defaults and rest parameters from the method source', () => {
    expect(params('plain')).toEqual([
      { name: 'orderId', optional: false, rest: false },
      { name: 'paymentMethodId', optional: false, rest: false },
    ]);
    expect(params('withDefaults').map((p) => [p.name, p.optional])).toEqual([
      ['name', false],
      ['greeting', true],
      ['options', true],
    ]);
    expect(params('rest')[1]).toEqual({ name: 'others', optional: true, rest: true });
    expect(params('destructured')[0]!.name).toBeNull();
  });
});

describe('binding args and kwargs', () => {
  it('fills parameters from positions, exact names and snake_case names', () => {
    expect(bindArguments('plain', params('plain'), [1], { payment_method_id: 'pm' })).toEqual([1, 'pm']);
    expect(bindArguments('plain', params('plain'), [], { paymentMethodId: 'pm', orderId: 2 })).toEqual([2, 'pm']);
  });

  it('leaves out parameters that have defaults', () => {
    expect(bindArguments('withDefaults', params('withDefaults'), ['ann'], {})).toEqual(['ann']);
    expect(bindArguments('withDefaults', params('withDefaults'), ['ann'], { options: 1 })).toEqual(['ann', undefined, 1]);
  });

  it('accepts any number of extra positional arguments for a rest parameter', () => {
    expect(bindArguments('rest', params('rest'), ['a', 'b', 'c'], {})).toEqual(['a', 'b', 'c']);
  });

  it('refuses what does not fit, saying why', () => {
    const fail = (args: unknown[], kwargs: Record<string, unknown>) => () => bindArguments('plain', params('plain'), args, kwargs);
    expect(fail([1, 2, 3], {})).toThrow(new IncorrectSignature('plain() takes 2 positional arguments but 3 were given'));
    expect(fail([], {})).toThrow("plain() missing 2 required arguments: 'orderId', 'paymentMethodId'");
    expect(fail([1, 'x'], { extra: 1 })).toThrow("plain() got an unexpected keyword argument 'extra'");
    expect(fail([1, 'x'], { order_id: 2 })).toThrow("plain() got multiple values for argument 'orderId'");
  });

  it('lets a destructured parameter be given only by position', () => {
    expect(bindArguments('destructured', params('destructured'), [{ id: 'a' }], { tag: 't' })).toEqual([{ id: 'a' }, 't']);
    expect(() => bindArguments('destructured', params('destructured'), [], { tag: 't' })).toThrow(IncorrectSignature);
  });
});

describe('binding positional arguments only', () => {
  it('still refuses a missing argument before a rest parameter', () => {
    expect(() => bindArguments('rest', params('rest'), [], {})).toThrow("rest() missing 1 required argument: 'first'");
  });
});
