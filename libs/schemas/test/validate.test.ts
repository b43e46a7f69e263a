import { dump, fieldsWithNul, InvalidArguments, optional, validate, z } from '../src';

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

  it('refuses a NUL character in any string, naming the field, even where the schema takes any text', () => {
    const Note = z.object({ title: z.string(), tags: z.array(z.string()), meta: z.record(z.string(), z.string()) });
    const refused = (value: unknown) => {
      try {
        validate(Note, value, BadRequest);
      } catch (e) {
        return e as BadRequest;
      }
      throw new Error('accepted');
    };
    const error = refused({ title: 'a\u0000b', tags: ['ok', 'x\u0000'], meta: { 'k\u0000': 'v' } });
    expect(error).toBeInstanceOf(BadRequest);
    expect(error.details).toEqual([
      { field: 'title', message: 'must not contain NUL characters (\\u0000)' },
      { field: 'tags.1', message: 'must not contain NUL characters (\\u0000)' },
      { field: 'meta."k\\u0000"', message: 'must not contain NUL characters (\\u0000)' },
    ]);
    expect(refused('\u0000').details[0]!.field).toBe('(arguments)');
    expect(validate(Note, { title: 'a\\u0000b', tags: [], meta: {} }, BadRequest).title).toBe('a\\u0000b');
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

describe('the NUL scan', () => {
  it('walks input of any depth without recursion, and names a NUL deep inside it', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const found = fieldsWithNul(deep);
    expect(found).toHaveLength(1);
    expect(found[0]!.split('.')).toHaveLength(200_000);
  });
});
