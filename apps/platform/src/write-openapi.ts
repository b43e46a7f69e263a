// `npm run openapi`: writes each facade's OpenAPI document to apps/<name>/openapi.json, where its
// contract allows the change: a change that can break a client needs a higher major `version` in
// the facade's definition (apps/<name>/src/app.ts), and is refused, listed, until it has one.
// `npm run openapi -- --check` writes nothing and fails when a committed document is out of date.
import { join } from 'node:path';
import { contractStatus, writeContract } from '@platform/http';
import { DEFINED_FACADES } from './facades';
const root = join(__dirname, '../../..');

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  let failed = false;
  for (const facade of DEFINED_FACADES) {
    const file = join(root, 'apps', facade.name, 'openapi.json');
    const relative = `apps/${facade.name}/openapi.json`;
    const status = check ? await contractStatus(facade, file) : await writeContract(facade, file);
    const { breaking, compatible } = status.verdict;
    if (status.upToDate) {
      console.log(`${relative}: up to date (version ${facade.version})`);
      continue;
    }
    if (!status.verdict.accepted) {
      failed = true;
      console.error(`${relative}: not written: ${status.verdict.reason}`);
      continue;
    }
    const summary = status.missing
      ? 'new contract'
      : breaking.length + compatible.length === 0
        ? 'descriptions, examples or order only'
        : `${breaking.length > 0 ? `${breaking.length} breaking (version raised), ` : ''}${compatible.length} compatible change(s)`;
    if (check) {
      failed = true;
      console.error(`${relative}: out of date (${summary}): run \`npm run openapi\``);
    } else {
      console.log(`${relative}: written, version ${facade.version} (${summary})`);
      for (const change of [...breaking, ...compatible]) console.log(`  - ${change.at}: ${change.what}`);
    }
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
