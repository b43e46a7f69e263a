// For a facade's tests: its committed OpenAPI document (`apps/<name>/openapi.json`) is what it
// serves, and any difference is one its contract's version allows.
//
//   describeFacadeContract(web, join(__dirname, '../openapi.json'));
import { contractStatus } from '../facade-contract';
import type { DefinedFacade } from '../define-facade';

export function describeFacadeContract(facade: DefinedFacade, file: string): void {
  describe(`the ${facade.name} facade's contract`, () => {
    it('is the document committed beside it', async () => {
      const status = await contractStatus(facade, file);
      const changes = [...status.verdict.breaking.map((c) => `breaking: ${c.at}: ${c.what}`), ...status.verdict.compatible.map((c) => `${c.at}: ${c.what}`)];
      // The message is the review: what changed, and the one command that writes it.
      expect({ upToDate: status.upToDate, changes, fix: 'run `npm run openapi` and commit the document' }).toEqual({
        upToDate: true,
        changes: [],
        fix: 'run `npm run openapi` and commit the document',
      });
    });

    it('changes only as its version allows', async () => {
      const { verdict } = await contractStatus(facade, file);
      expect(verdict.reason ?? 'accepted').toBe('accepted');
    });
  });
}
