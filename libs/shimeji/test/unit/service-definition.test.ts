import { Config, getServiceDefinition, inject, rpc, RpcProxy, service, ServiceContainer } from '../../src';

@service('parent')
class Parent {
  config = inject(new Config());
  @rpc async inherited() {
    return 'parent';
  }
}

@service('child')
class Child extends Parent {
  other = inject(new RpcProxy('other'));
  @rpc async own() {
    return 'child';
  }
}

describe('declaring a service', () => {
  it('collects the entrypoints of a class and of the classes it extends', () => {
    expect(getServiceDefinition(Child).entrypoints.map((e) => e.methodName)).toEqual(['inherited', 'own']);
    expect(getServiceDefinition(Parent).entrypoints.map((e) => e.methodName)).toEqual(['inherited']);
    expect(getServiceDefinition(Child).name).toBe('child');
  });

  it('finds dependencies declared as fields, by field name', () => {
    const container = new ServiceContainer(Child, { AMQP_URI: 'memory://unit-definition' });
    expect([...container.dependencies.keys()]).toEqual(['config', 'other']);
  });

  it('refuses a class that is not a service, and a name unfit for queue names', () => {
    class Plain {}
    expect(() => getServiceDefinition(Plain)).toThrow('Plain is not a service');
    expect(() => service('bad name')).toThrow(/may only hold/);
  });
});
