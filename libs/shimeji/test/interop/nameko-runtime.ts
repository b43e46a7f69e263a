// Finds a Python with Nameko 2.x importable, for the live interop test. Nameko is not on this
// project's registries (no PyPI here): point NAMEKO_PYTHONPATH at a Nameko 2.14 source tree and
// NAMEKO_PYTHON at a Python with kombu and eventlet (Debian: python3-kombu python3-eventlet …).
import { spawnSync } from 'node:child_process';

export interface NamekoRuntime {
  python: string;
  env: NodeJS.ProcessEnv;
}

export function findNameko(): NamekoRuntime | { missing: string } {
  const pythonPath = process.env.NAMEKO_PYTHONPATH;
  const candidates = [process.env.NAMEKO_PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  for (const python of candidates) {
    const env = { ...process.env, ...(pythonPath ? { PYTHONPATH: pythonPath } : {}) };
    const probe = spawnSync(python, ['-c', 'import nameko, kombu, eventlet'], { env, encoding: 'utf8', timeout: 20_000 });
    if (probe.status === 0) return { python, env };
  }
  return {
    missing:
      'no Python with Nameko 2.x, kombu and eventlet was found; set NAMEKO_PYTHONPATH to a Nameko 2.14 ' +
      'source tree and NAMEKO_PYTHON to a Python that has kombu and eventlet (see test/interop/README.md)',
  };
}
