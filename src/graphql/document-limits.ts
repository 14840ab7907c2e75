/**
 * Limits on the GraphQL documents a caller sends: tokens, aliases, directives and depth. Every check
 * costs time linear in the document (each fragment is measured once), so no document, however
 * crafted, stalls the event loop while it is checked.
 *
 * - Tokens: graphql-js stops parsing at `maxTokens` (Apollo's `parseOptions`). GraphQL Armor's own
 *   token rule is not used: it parses a second time and its refusal reaches clients as a 500.
 * - Aliases, directives, depth: GraphQL Armor's validation rules, each reporting our coded error.
 *   Every alias counts (Armor's default lets `__typename` aliases through for free).
 * - Cost: our page-size-aware estimate (complexity.plugin.ts), which knows the schema's lists and
 *   reads page sizes from variables too; Armor's cost rule does neither, so it is switched off.
 */
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Config } from '../config.js';

/** The setting each limit comes from, named in every refusal so a client knows which one it hit. */
export type DocumentLimitName = 'MAX_QUERY_TOKENS' | 'MAX_QUERY_ALIASES' | 'MAX_QUERY_DIRECTIVES' | 'MAX_QUERY_DEPTH' | 'MAX_QUERY_COMPLEXITY';

export type DocumentLimits = Pick<Config['limits'], 'maxQueryTokens' | 'maxQueryAliases' | 'maxQueryDirectives' | 'maxQueryDepth'>;

const WHAT: Record<Exclude<DocumentLimitName, 'MAX_QUERY_COMPLEXITY'>, string> = {
  MAX_QUERY_TOKENS: 'tokens',
  MAX_QUERY_ALIASES: 'aliases',
  MAX_QUERY_DIRECTIVES: 'directives',
  MAX_QUERY_DEPTH: 'levels of nesting',
};

/** The error every document limit reports: a validation failure that names the limit, its value and what was found. */
export function documentLimitError(limit: keyof typeof WHAT, max: number, found?: number): GraphQLError {
  const message =
    limit === 'MAX_QUERY_DEPTH' && found !== undefined
      ? `The query is ${found} levels deep; the limit (${limit}) is ${max}.`
      : found === undefined
        ? `The document has more than ${max} ${WHAT[limit]}; the limit (${limit}) is ${max}.`
        : `The document has ${found} ${WHAT[limit]}; the limit (${limit}) is ${max}.`;
  return new GraphQLError(message, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', field: 'query', limit, max, ...(found === undefined ? {} : { found }) },
  });
}

/** Armor's rules report "... exceeded, found N." in their own words; we keep only N. */
function reporter(limit: keyof typeof WHAT, max: number) {
  return (context: ValidationContext | null, error: GraphQLError) => {
    const found = /found (\d+)/.exec(error.message)?.[1];
    context?.reportError(documentLimitError(limit, max, found === undefined ? undefined : Number(found)));
  };
}

export interface DocumentLimitOptions {
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin[];
  allowBatchedHttpRequests: false;
}

/**
 * Apollo options enforcing the limits. `hideSuggestions` masks "Did you mean ..." hints, which would
 * otherwise reveal field names when introspection is off.
 */
export function documentLimitOptions(limits: DocumentLimits, options: { hideSuggestions: boolean }): DocumentLimitOptions {
  const rule = (limit: keyof typeof WHAT, n: number) => ({
    n,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [reporter(limit, n)],
  });
  const armor = new ApolloArmor({
    blockFieldSuggestion: { enabled: options.hideSuggestions },
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    maxAliases: { ...rule('MAX_QUERY_ALIASES', limits.maxQueryAliases), allowList: [] },
    maxDirectives: rule('MAX_QUERY_DIRECTIVES', limits.maxQueryDirectives),
    // Fragments add no level of their own: depth is the nesting of fields, as the data is shaped.
    maxDepth: { ...rule('MAX_QUERY_DEPTH', limits.maxQueryDepth), flattenFragments: true },
  });
  const protection = armor.protect();
  return {
    parseOptions: { maxTokens: limits.maxQueryTokens },
    // Armor's types point at Apollo's CommonJS declarations, ours at the ESM ones: same objects.
    validationRules: protection.validationRules as never[],
    plugins: protection.plugins as never[],
    allowBatchedHttpRequests: false,
  };
}

/** graphql-js's words when parsing stops at `maxTokens`. */
const TOKEN_LIMIT = /^Syntax Error: Document contains more (?:than|that) (\d+) tokens\. Parsing aborted\.$/;

/**
 * The client-facing form of a limit error raised where we can't report our own (graphql-js's token
 * limit, graphql-js's own validation budget), or undefined when `message` is no such error.
 */
export function rewriteLimitMessage(message: string): { message: string; extensions: Record<string, unknown> } | undefined {
  const tokens = TOKEN_LIMIT.exec(message);
  if (tokens) {
    const max = Number(tokens[1]);
    const error = documentLimitError('MAX_QUERY_TOKENS', max);
    return { message: error.message, extensions: error.extensions };
  }
  if (message === 'Validation aborted.' || message.startsWith('Too many validation errors')) {
    return {
      message: 'Validation aborted: the document needs too much work to check (too many errors, or too many overlapping fields and fragment spreads). Send a smaller document.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', field: 'query' },
    };
  }
  return undefined;
}
