// A facade's contract is its OpenAPI document, committed beside it (`apps/<name>/openapi.json`)
// so that a change to what it promises shows in review. The document is always generated from the
// code; this compares it with the committed one and says whether the change is one the contract's
// version allows (contract-changes.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type ContractVerdict, judgeContractChange } from './contract-changes';
import type { DefinedFacade } from './define-facade';

export type OpenApiDocument = Record<string, any>;

/** What building the app for its document needs: no broker is called, no token is signed. */
const NO_RPC = {
  call: async () => {
    throw new Error('a facade built for its document calls no service');
  },
};
const DOCUMENT_ONLY_SECRET = 'the-document-only-secret-signs-nothing';

/** A facade's OpenAPI document as its code declares it. */
export async function facadeDocument(facade: DefinedFacade): Promise<OpenApiDocument> {
  const app = await facade.build({ rpcClient: NO_RPC, jwtSecret: DOCUMENT_ONLY_SECRET, logger: false });
  try {
    await app.ready();
    return JSON.parse(JSON.stringify(app.swagger())) as OpenApiDocument;
  } finally {
    await app.close();
  }
}

/** How a contract is written: stable, two-space JSON with a final newline, as reviewers read it. */
export function serializeContract(document: OpenApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

export interface ContractStatus {
  /** The committed file is what the facade serves. */
  upToDate: boolean;
  /** No file is committed yet. */
  missing: boolean;
  generated: OpenApiDocument;
  /** Whether the generated document may replace the committed one. */
  verdict: ContractVerdict;
}

/** How `facade`'s generated document stands against the one committed in `file`. */
export async function contractStatus(facade: DefinedFacade, file: string): Promise<ContractStatus> {
  const generated = await facadeDocument(facade);
  if (!existsSync(file)) return { upToDate: false, missing: true, generated, verdict: { accepted: true, breaking: [], compatible: [] } };
  const committedText = readFileSync(file, 'utf8');
  const committed = JSON.parse(committedText) as OpenApiDocument;
  return { upToDate: committedText === serializeContract(generated), missing: false, generated, verdict: judgeContractChange(committed, generated) };
}

/** Writes the generated document to `file` when the change is allowed; the status says either way. */
export async function writeContract(facade: DefinedFacade, file: string): Promise<ContractStatus> {
  const status = await contractStatus(facade, file);
  if (!status.upToDate && status.verdict.accepted) writeFileSync(file, serializeContract(status.generated));
  return status;
}
