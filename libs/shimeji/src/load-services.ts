// Finds the service classes a module exports: for `shimeji run <module…>` and for other programs
// given modules by name (libs/db's migrate command).
import path from 'node:path';
import { getServiceDefinition, type ServiceClass } from './service-definition';

function isServiceClass(value: unknown): value is ServiceClass {
  if (typeof value !== 'function') return false;
  try {
    getServiceDefinition(value as ServiceClass);
    return true;
  } catch {
    return false;
  }
}

/** A path (`./src/service.ts`, `services/user`) or a package name (`@platform/user-service`). */
function resolveModule(spec: string, cwd: string): string {
  const looksLikePath = spec.startsWith('.') || spec.startsWith('/') || /\.[cm]?[jt]s$/.test(spec);
  return require.resolve(looksLikePath ? path.resolve(cwd, spec) : spec, { paths: [cwd] });
}

export function loadServiceClasses(specs: readonly string[], cwd = process.cwd()): ServiceClass[] {
  const found: ServiceClass[] = [];
  for (const spec of specs) {
    const exported = Object.values(require(resolveModule(spec, cwd)) as Record<string, unknown>).filter(isServiceClass);
    if (exported.length === 0) throw new Error(`${spec} exports no service class (a class decorated with @service)`);
    for (const cls of exported) if (!found.includes(cls)) found.push(cls);
  }
  return found;
}
