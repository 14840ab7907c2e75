/**
 * GraphQL Code Generator: typed documents for every operation packctl sends, checked against the
 * committed graphql/schema.graphql. `npm run schema` regenerates src/cli/generated/ after emitting
 * the schema; `npm run codegen:check` (and test/unit/cli/generated-operations.test.ts) fail when
 * the committed output is stale, so a schema change that breaks the CLI is caught.
 *
 * Chosen over gql.tada: generation validates each operation against the SDL (an unknown field or
 * argument is an error, not a silently widened type), the output is plain TypeScript that tsc and
 * swc (Jest) read as is, and no TypeScript plugin or type-level parsing is needed on each type-check.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

/** One output per client: each gets the documents of its own sources only. */
const clientOutput = (documents: string[], documentMode: 'string' | 'documentNode' = 'string') => ({
  documents,
  preset: 'client' as const,
  // No UI components here: results are plain objects, fragments are inlined into each result type.
  presetConfig: { fragmentMasking: false },
  config: {
    // packctl's documents stay strings (no `graphql` runtime in packctl); `.js` imports for NodeNext ESM.
    documentMode,
    importExtension: '.js',
    useTypeImports: true,
    strictScalars: true,
    scalars: {
      DateTime: 'string',
      JSON: 'unknown',
      // The file goes as a multipart part; the variable itself is sent as null.
      Upload: 'null',
    },
  },
});

const config: CodegenConfig = {
  schema: 'graphql/schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'src/cli/generated/': clientOutput(['src/cli/**/*.ts', '!src/cli/generated/**']),
    // The typed client example (examples/README.md) uses the same generator as packctl.
    'examples/generated/': clientOutput(['examples/*.ts']),
    // The web console (web/): urql infers result and variable types from a TypedDocumentNode (a
    // String-wrapped document would lose them), and the page bundles graphql's AST objects anyway.
    'web/src/generated/': clientOutput(['web/src/**/*.{ts,tsx}', '!web/src/generated/**'], 'documentNode'),
  },
};

export default config;
