// A stand-in for any dependency: every property is another fake, every call is recorded and
// returns what `implement` says (undefined by default). Works without any test framework;
// with jest, passing `jest.fn()`-based objects to the helpers works just as well.

export interface Fake {
  (...args: unknown[]): unknown;
  /** Arguments of every call to this fake, in order. */
  readonly calls: unknown[][];
  /** What a call does from now on. */
  implement(fn: (...args: unknown[]) => unknown): Fake;
  [member: string]: any;
}

export function createFake(name = 'fake'): Fake {
  const calls: unknown[][] = [];
  const children = new Map<string, Fake>();
  let impl: (...args: unknown[]) => unknown = () => undefined;
  const fn = (...args: unknown[]): unknown => {
    calls.push(args);
    return impl(...args);
  };
  const fake: Fake = new Proxy(fn as unknown as Fake, {
    get(target, property) {
      if (property === 'calls') return calls;
      if (property === 'implement') {
        return (next: (...args: unknown[]) => unknown) => {
          impl = next;
          return fake;
        };
      }
      if (property === 'then' || typeof property === 'symbol') return Reflect.get(target, property);
      let child = children.get(property);
      if (!child) children.set(property, (child = createFake(`${name}.${property}`)));
      return child;
    },
    set(_target, property, value) {
      children.set(String(property), value as Fake);
      return true;
    },
  });
  return fake;
}
