import { argumentsOf, entrypointOptions, InvalidArguments, optional, z } from '../src';

class BadRequest extends InvalidArguments {}
class NotFound extends Error {}

const FindUsers = z
  .object({
    query: optional(z.string().trim().max(10)),
    page: optional(z.number().int().min(1)).default(1),
    pageSize: optional(z.number().int().min(1).max(100)).default(20),
  })
  .strict();
const GetUser = z.object({ userId: z.uuid(), reason: z.string().trim().min(1) }).strict();

describe('argumentsOf', () => {
  it('names the parameters in the order of the schema, marking those a caller may leave out', () => {
    expect(argumentsOf(FindUsers, BadRequest).parameters).toEqual([
      { name: 'query', optional: true, rest: false },
      { name: 'page', optional: true, rest: false },
      { name: 'pageSize', optional: true, rest: false },
    ]);
    expect(argumentsOf(GetUser, BadRequest).parameters.map((p) => p.optional)).toEqual([false, false]);
  });

  it('hands the method the parsed values in order, defaults filled in and strings trimmed', () => {
    const args = argumentsOf(FindUsers, BadRequest);
    expect(args.parse([' ann '])).toEqual(['ann', 1, 20]);
    expect(args.parse([undefined, 3, null])).toEqual([undefined, 3, 20]);
  });

  it("refuses bad values with the service's own BadRequest naming each field", () => {
    const args = argumentsOf(GetUser, BadRequest);
    let refused: unknown;
    try {
      args.parse(['not-a-uuid', '   ']);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(BadRequest);
    expect((refused as BadRequest).details.map((d) => d.field)).toEqual(['userId', 'reason']);
  });

  it('refuses an integer beyond a number’s exact range (a bigint off the wire) where it declares a number, naming it', () => {
    let refused: unknown;
    try {
      argumentsOf(FindUsers, BadRequest).parse([undefined, 2n ** 63n - 1n]);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(BadRequest);
    expect((refused as BadRequest).details.map((d) => d.field)).toEqual(['page']);
  });

  it('refuses a NUL character in any argument, naming it', () => {
    expect(() => argumentsOf(GetUser, BadRequest).parse(['0b5e4f9a-8c1d-4f6e-9a7b-1c2d3e4f5a6b', 'a\u0000b'])).toThrow(/reason/);
  });
});

describe('entrypointOptions', () => {
  it('gives every entrypoint of a service the same BadRequest and expected exceptions', () => {
    const takes = entrypointOptions(BadRequest, [BadRequest, NotFound]);
    const options = takes(GetUser);
    expect(options.expectedExceptions).toEqual([BadRequest, NotFound]);
    expect(() => options.args.parse(['x', 'y'])).toThrow(BadRequest);
  });
});
