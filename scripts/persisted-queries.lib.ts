/** The PERSISTED_QUERIES_ONLY allow-list of generated clients: sha256 hex of each operation's text -> the text. */
import { persistedQueryHash } from '../src/graphql/persisted-queries.js';

/**
 * Every operation among the exports of generated modules (client preset, `documentMode: 'string'`):
 * a `TypedDocumentString` whose text defines a query or mutation (fragments alone are not sent).
 */
export function allowListOf(modules: ReadonlyArray<Record<string, unknown>>): Record<string, string> {
  const list: Record<string, string> = {};
  for (const module of modules) {
    for (const value of Object.values(module)) {
      if (!(value instanceof String)) continue;
      const text = value.toString();
      if (/^\s*(query|mutation)\b/.test(text)) list[persistedQueryHash(text)] = text;
    }
  }
  return list;
}
