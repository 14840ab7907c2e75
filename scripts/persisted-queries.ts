// npm run persisted-queries [-- <file>]: writes the allow-list for PERSISTED_QUERIES_ONLY (default
// graphql/persisted-queries.json): every operation packctl and the typed example send, keyed by the
// sha256 of the exact text they send (what Apollo hashes), so both keep working in that mode.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allowListOf } from './persisted-queries.lib.js';
import * as cli from '../src/cli/generated/graphql.js';
import * as example from '../examples/generated/graphql.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.resolve(root, process.argv[2] ?? 'graphql/persisted-queries.json');
const list = allowListOf([cli, example]);
await writeFile(file, `${JSON.stringify(list, null, 2)}\n`);
console.log(`${Object.keys(list).length} documents written to ${path.relative(root, file)}`);
