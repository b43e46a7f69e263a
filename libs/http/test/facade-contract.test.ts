import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { contractStatus, type Facade, facadeDocument, writeContract } from '../src';
import { shopFacade } from './support/shop-facade';

const Basket = z.object({ id: z.string(), items: z.array(z.string()) });

/** The shop with a basket to read and, unless `withoutCheckout`, one to check out. */
const shop = (version: string, withoutCheckout = false) =>
  shopFacade({
    version,
    routes: [
      (app: Facade) => {
        app.get('/basket', { config: { access: ['customer'] }, schema: { summary: 'Read my basket', response: { 200: Basket } } }, async () => ({ id: 'b1', items: [] }));
        if (!withoutCheckout) app.post('/basket/checkout', { config: { access: ['customer'] }, schema: { response: { 201: Basket } } }, async () => ({ id: 'b1', items: [] }));
      },
    ],
  });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'contract-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a facade’s committed contract', () => {
  it('is the document the facade serves, with its version', async () => {
    const document = await facadeDocument(shop('1.4.0'));
    expect(document.info.version).toBe('1.4.0');
    expect(document.paths['/basket'].get.summary).toBe('Read my basket');
  });

  it('is written when there is none, and is then up to date', async () => {
    const file = join(dir, 'openapi.json');
    expect(await writeContract(shop('1.0.0'), file)).toMatchObject({ missing: true, upToDate: false });
    expect(await contractStatus(shop('1.0.0'), file)).toMatchObject({ missing: false, upToDate: true });
  });

  it('is not overwritten by a deliberate breaking change at the same major version', async () => {
    const file = join(dir, 'openapi.json');
    await writeContract(shop('1.0.0'), file);
    const before = readFileSync(file, 'utf8');
    const status = await writeContract(shop('1.1.0', true), file);
    expect(status.verdict).toMatchObject({ accepted: false, breaking: [{ at: 'POST /basket/checkout', what: 'route removed' }] });
    expect(status.verdict.reason).toContain('to 2.0.0');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('takes the breaking change once the major version is raised', async () => {
    const file = join(dir, 'openapi.json');
    await writeContract(shop('1.0.0'), file);
    expect((await writeContract(shop('2.0.0', true), file)).verdict.accepted).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).paths['/basket/checkout']).toBeUndefined();
  });

  it('takes a compatible change at the same version, and says the file is out of date until then', async () => {
    const file = join(dir, 'openapi.json');
    await writeContract(shop('1.0.0', true), file);
    expect(await contractStatus(shop('1.0.0'), file)).toMatchObject({ upToDate: false, verdict: { accepted: true, compatible: [{ at: 'POST /basket/checkout', what: 'route added' }] } });
  });
});
