import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { prepareEmbeddedClusters } from '../../src';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'clusters-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('preparing embedded databases', () => {
  it('gives each new folder a cluster of its own, made once and copied', async () => {
    const [a, b] = [path.join(root, 'a'), path.join(root, 'b')];
    fs.mkdirSync(b);
    expect(await prepareEmbeddedClusters([a, b])).toEqual([a, b]);

    const first = await PGlite.create(a);
    await first.exec('CREATE TABLE only_in_a (id int)');
    await first.close();
    const second = await PGlite.create(b);
    const tables = await second.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_in_a'");
    await second.close();
    expect(tables.rows[0]!.n).toBe(0);
    expect(fs.readdirSync(root).filter((name) => name.startsWith('.pglite-template-'))).toEqual([]);
  }, 60_000);

  it('leaves alone a folder that holds a cluster or anything else', async () => {
    const [existing, other] = [path.join(root, 'existing'), path.join(root, 'other')];
    const made = await PGlite.create(existing);
    await made.exec('CREATE TABLE kept (id int)');
    await made.close();
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'notes.txt'), 'mine');

    expect(await prepareEmbeddedClusters([existing, other])).toEqual([]);
    expect(fs.readdirSync(other)).toEqual(['notes.txt']);
    const reopened = await PGlite.create(existing);
    const kept = await reopened.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'kept'");
    await reopened.close();
    expect(kept.rows[0]!.n).toBe(1);
  }, 60_000);
});
