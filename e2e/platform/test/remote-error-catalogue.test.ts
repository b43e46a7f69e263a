// Each facade declares the remote errors it consumes on its own side (it never imports a
// service). A path that no service raises is a translation that can never fire, and usually a
// typo or a renamed class: every path a facade registers must name a class in that service's
// exceptions.ts, as `<service>.exceptions.<ClassName>` is what the service puts on the wire.
import { remoteErrors as adminErrors } from '@platform/admin';
import * as messaging from '@platform/messaging-service/exceptions';
import * as payment from '@platform/payment-service/exceptions';
import * as project from '@platform/project-service/exceptions';
import { ErrorRegistry } from '@platform/shimeji';
import { remoteErrors as supportErrors } from '@platform/support';
import * as user from '@platform/user-service/exceptions';
import { remoteErrors as webErrors } from '@platform/web';

const services: Record<string, Record<string, unknown>> = { user, project, payment, messaging };
const builtIns = new Set(new ErrorRegistry().paths());

function unknownPaths(registry: ErrorRegistry): string[] {
  return registry
    .paths()
    .filter((excPath) => !builtIns.has(excPath))
    .filter((excPath) => {
      const [service, module, name] = excPath.split('.');
      const cls = services[service!]?.[name!];
      return module !== 'exceptions' || typeof cls !== 'function' || !(cls.prototype instanceof Error);
    });
}

describe.each([
  ['web', webErrors],
  ['admin', adminErrors],
  ['support', supportErrors],
])('the %s facade', (_name, registry) => {
  it('registers only remote errors that a service declares in its exceptions.ts', () => {
    expect(registry.paths().length).toBeGreaterThan(builtIns.size);
    expect(unknownPaths(registry)).toEqual([]);
  });
});

describe('the catalogue check', () => {
  it('catches a path that no service raises', () => {
    class Gone extends Error {}
    const registry = new ErrorRegistry()
      .register('payment.exceptions.NotFound', Gone)
      .register('payment.exceptions.NoSuchThing', Gone)
      .register('ghost.exceptions.NotFound', Gone);
    expect(unknownPaths(registry)).toEqual(['payment.exceptions.NoSuchThing', 'ghost.exceptions.NotFound']);
  });
});
