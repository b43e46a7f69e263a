// Several services on embedded PGlite each get a folder of their own: a PostgreSQL cluster each.
// Making a new cluster (PGlite's initdb) costs seconds of CPU on the main thread, and it is the
// same work for every empty folder; so one is made and copied into the others, which then open in
// a fraction of a second. A copy of a closed cluster's folder is a cluster like the original.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/** A folder PGlite has made a cluster in (PostgreSQL writes PG_VERSION first of all). */
function holdsCluster(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'PG_VERSION'));
}

/** Absent or empty: a folder PGlite would make a new cluster in. */
function isNew(dir: string): boolean {
  return !fs.existsSync(dir) || fs.readdirSync(dir).length === 0;
}

/**
 * Makes a cluster in each of `dirs` that has none yet (absent or empty folders), with one initdb
 * for all of them. Folders holding anything else are left as they are, for PGlite to open.
 * Returns the folders it prepared.
 */
export async function prepareEmbeddedClusters(dirs: readonly string[]): Promise<string[]> {
  const fresh = [...new Set(dirs.map((dir) => path.resolve(dir)))].filter((dir) => isNew(dir) && !holdsCluster(dir));
  if (fresh.length === 0) return [];
  const parent = path.dirname(fresh[0]!);
  fs.mkdirSync(parent, { recursive: true });
  const template = fs.mkdtempSync(path.join(parent, '.pglite-template-'));
  try {
    const pglite = await PGlite.create(template);
    await pglite.close();
    for (const dir of fresh) {
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      fs.cpSync(template, dir, { recursive: true });
    }
  } finally {
    fs.rmSync(template, { recursive: true, force: true });
  }
  return fresh;
}
