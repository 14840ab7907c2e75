// Writes graphql/schema.graphql from the code (npm run schema).
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { printGraphQLSchema } from '../src/app/print-schema.js';

await writeFile(new URL('../graphql/schema.graphql', import.meta.url), await printGraphQLSchema());
console.log('graphql/schema.graphql written');
