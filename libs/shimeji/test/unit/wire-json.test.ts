// JSON on the wire: what a Python peer sends arrives as it was sent, big integers included.
import { encodeJson, parseJson, UnserializableValueError } from '../../src';

const text = (value: unknown) => encodeJson(value).toString('utf8');

describe('JSON on the wire', () => {
  it('reads integers beyond 2^53 as bigints, wherever they are', () => {
    expect(parseJson('{"a": 9223372036854775807, "b": [-9007199254740993, 1], "c": {"d": 18446744073709551616}}')).toEqual({
      a: 9223372036854775807n,
      b: [-9007199254740993n, 1],
      c: { d: 18446744073709551616n },
    });
  });

  it('keeps numbers a number holds exactly, fractions, exponents and long digit strings as JSON.parse does', () => {
    const body = '{"max": 9007199254740991, "min": -9007199254740991, "f": 12345678901234567.5, "e": 1e21, "s": "12345678901234567890"}';
    expect(parseJson(body)).toEqual(JSON.parse(body));
    expect(parseJson('[1, 2.5, null, true, "x"]')).toEqual([1, 2.5, null, true, 'x']);
  });

  it('writes bigints back as the same digits, and everything else as JSON.stringify does', () => {
    expect(text({ id: 9223372036854775807n, at: new Date(0), gone: undefined, list: [undefined, -(2n ** 64n)] })).toBe(
      '{"id":9223372036854775807,"at":"1970-01-01T00:00:00.000Z","list":[null,-18446744073709551616]}',
    );
    expect(text(undefined)).toBe('null');
    expect(text({ n: 1, s: 'é' })).toBe(JSON.stringify({ n: 1, s: 'é' }));
  });

  it('reads back what it wrote, to the digit', () => {
    const value = { ids: [2n ** 63n - 1n, -(2n ** 70n)], amount: 1500, name: 'Ann' };
    expect(parseJson(text(value))).toEqual(value);
  });

  it('still refuses what JSON cannot hold, bigint or not', () => {
    const circular: { self?: unknown; big?: bigint } = { big: 1n };
    circular.self = circular;
    expect(() => encodeJson(circular)).toThrow(UnserializableValueError);
    expect(() => encodeJson({ f: () => 1, s: Symbol('x') })).not.toThrow();
  });

  it('refuses a malformed body that holds long digits as JSON.parse would', () => {
    expect(() => parseJson('{"a": 12345678901234567890')).toThrow();
  });
});
