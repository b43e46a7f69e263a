import { dump, InvalidArguments, optional, validate, z } from '../src';

class BadRequest extends InvalidArguments {}

describe('validating arguments', () => {
  const Register = z.object({ email: z.email(), name: z.string().min(1).max(10) }).strict();

  it('returns the parsed value when it fits', () => {
    expect(validate(Register, { email: 'a@b.co', name: 'Ann' }, BadRequest)).toEqual({ email: 'a@b.co', name: 'Ann' });
  });

  it('throws the service’s BadRequest naming every wrong field', () => {
    const error = (() => {
      try {
        validate(Register, { email: 'nope', name: 'x'.repeat(11), extra: 1 }, BadRequest);
      } catch (e) {
        return e as BadRequest;
      }
    })()!;
    expect(error).toBeInstanceOf(BadRequest);
    expect(error.details.map((d) => d.field).sort()).toEqual(['(arguments)', 'email', 'name']);
    expect(error.message).toMatch(/email: /);
    expect(error.args).toEqual([error.message, error.details]);
  });

  it('dumps only the fields the schema names', () => {
    const User = z.object({ id: z.string(), email: z.string() });
    expect(dump(User, { id: '1', email: 'a@b.co', password_hash: 'secret' })).toEqual({ id: '1', email: 'a@b.co' });
  });
});

describe('optional arguments', () => {
  it('take null as not given, since undefined travels as null', () => {
    const Find = z.object({ query: optional(z.string()), page: optional(z.number()).default(1) });
    expect(validate(Find, { query: null, page: null }, BadRequest)).toEqual({ page: 1 });
    expect(validate(Find, { query: 'x', page: 3 }, BadRequest)).toEqual({ query: 'x', page: 3 });
  });
});
