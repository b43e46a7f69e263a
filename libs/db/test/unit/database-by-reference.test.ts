// Dependencies that work with the service's database are given it by reference.
import { inject, service } from '@platform/shimeji';
import { Database, OutboxDispatcher } from '../../src';

describe('a dependency given the service’s database', () => {
  it('holds the very Database the service injects', () => {
    @service('by_reference')
    class ByReference {
      db = inject(new Database({}, { migrations: [] }));
      dispatch = inject(new OutboxDispatcher(this.db));
    }
    const instance = new ByReference() as unknown as { db: unknown; dispatch: { database: unknown } };
    expect(instance.dispatch.database).toBe(instance.db);
  });

  it('refuses anything else, naming what to pass', () => {
    expect(() => new OutboxDispatcher(undefined)).toThrow('OutboxDispatcher needs the service\'s Database: pass the field that injects it, declared before it (`new OutboxDispatcher(this.db)`)');
    expect(() => new OutboxDispatcher({ users: {} })).toThrow(TypeError);
  });
});
