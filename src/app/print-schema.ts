/** The SDL committed as graphql/schema.graphql, printed the same way by `npm run schema` and the drift test. */
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildGraphQLSchema } from './schema.js';

export const SCHEMA_HEADER = '# Generated from the code by `npm run schema`. Do not edit by hand: a test fails on drift.\n\n';

export async function printGraphQLSchema(): Promise<string> {
  return `${SCHEMA_HEADER}${printSchema(lexicographicSortSchema(await buildGraphQLSchema()))}\n`;
}
