import {
  deserializeError,
  ErrorRegistry,
  InvalidArguments,
  MethodNotFound,
  RemoteError,
  remoteError,
  defaultErrorRegistry,
  safeForSerialization,
  serializeError,
} from '../../src';

class NotFound extends Error {}
class Declared extends Error {
  static excPath = 'payment.exceptions.Declared';
}

describe('errors on the wire', () => {
  it('names a service error by its service unless the class declares its own path', () => {
    expect(serializeError(new NotFound('order 7'), 'payment')).toEqual({
      exc_type: 'NotFound',
      exc_path: 'payment.exceptions.NotFound',
      exc_args: ['order 7'],
      value: 'order 7',
    });
    expect(serializeError(new Declared('x'), 'other').exc_path).toBe('payment.exceptions.Declared');
    expect(serializeError(new MethodNotFound('nope'), 'payment').exc_path).toBe('nameko.exceptions.MethodNotFound');
  });

  it('sends non-string arguments as strings, as Nameko does', () => {
    expect(safeForSerialization(['boom', 42, { n: 1, ok: true }, [null]])).toEqual(['boom', '42', { n: '1', ok: 'true' }, ['null']]);
  });

  it('raises a registered path as the caller’s class and anything else as RemoteError', () => {
    class Mine extends Error {}
    const registry = new ErrorRegistry().register('payment.exceptions.NotFound', Mine);
    const wire = serializeError(new NotFound('order 7'), 'payment');
    const known = deserializeError(wire, registry);
    expect(known).toBeInstanceOf(Mine);
    expect(known.message).toBe('order 7');
    const unknown = deserializeError(wire, new ErrorRegistry());
    expect(unknown).toBeInstanceOf(RemoteError);
    expect(unknown.message).toBe('NotFound order 7');
  });

  it('registers with the @remoteError decorator on the default registry', () => {
    @remoteError('inventory.exceptions.Gone')
    class Gone extends Error {}
    expect(defaultErrorRegistry.lookup('inventory.exceptions.Gone')).toBe(Gone);
  });

  it('registers a service’s errors by their names under its exceptions module', () => {
    class Gone extends Error {}
    const registry = new ErrorRegistry().registerService('stock', { Gone, BadRequest: InvalidArguments });
    expect(registry.lookup('stock.exceptions.Gone')).toBe(Gone);
    expect(registry.lookup('stock.exceptions.BadRequest')).toBe(InvalidArguments);
  });

  it('carries the fields at fault of a remote BadRequest to the caller', () => {
    class TheirBadRequest extends InvalidArguments {}
    class OurBadRequest extends InvalidArguments {}
    const details = [{ field: 'amount', message: 'Too big' }];
    const wire = serializeError(new TheirBadRequest('amount: Too big', details), 'stock');
    expect(wire.exc_args).toEqual(['amount: Too big', details]);
    const raised = deserializeError({ ...wire, exc_path: 'stock.exceptions.OurBadRequest' }, new ErrorRegistry().registerService('stock', { OurBadRequest }));
    expect(raised).toBeInstanceOf(OurBadRequest);
    expect(raised).toMatchObject({ message: 'amount: Too big', details });
  });
});
