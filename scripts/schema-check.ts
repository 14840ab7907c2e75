// npm run schema:check: fails (exit 1) when graphql/schema.graphql breaks the released contract
// (see schema-check.lib.ts); test/unit/schema-contract.test.ts runs the same check in `npm test`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { checkSchemaContract, releasedSchema } from './schema-check.lib.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const released = releasedSchema(root);
const result = await checkSchemaContract(released.sdl, readFileSync(path.join(root, 'graphql/schema.graphql'), 'utf8'));
console.log(`graphql/schema.graphql against ${released.source}: ${result.changes.length} changes`);
for (const removal of result.announcedRemovals) console.log(`  announced removal  ${removal.path}: ${removal.message}`);
for (const problem of result.breaking) console.log(`  BREAKING  ${problem.path}: ${problem.message}`);
if (result.breaking.length > 0) {
  console.log('A breaking change needs a dated deprecation first: @deprecated(reason: "... removal on YYYY-MM-DD"), kept until that date.');
  process.exit(1);
}
