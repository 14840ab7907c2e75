/**
 * A typed client of pack-catalog, to copy: list packs, resolve a version, validate a profile.
 *
 *   PACK_CATALOG_URL=http://localhost:4000 PACK_CATALOG_TOKEN=pkc_... \
 *     node --import @swc-node/register/esm-register examples/pack-client.ts [pack]
 *
 * The operations below are typed from graphql/schema.graphql by GraphQL Code Generator (the
 * generator packctl uses: `npm run codegen` writes examples/generated/), so a result's fields and
 * a call's variables are checked by the compiler. Plain `fetch`, no GraphQL client library.
 */
import { pathToFileURL } from 'node:url';
import { graphql } from './generated/index.js';
import type { TypedDocumentString } from './generated/graphql.js';

const ListPacks = graphql(`
  query ExampleListPacks($first: Int, $after: String) {
    packs(first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          name
          displayName
          layer
          latest {
            version
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const ResolveVersion = graphql(`
  query ExampleResolveVersion($name: String!, $version: String!) {
    packVersion(name: $name, version: $version) {
      id
      version
      digest
      registry {
        name
      }
    }
  }
`);

const ValidateProfile = graphql(`
  query ExampleValidateProfile($input: ProfileInput!) {
    validateProfile(input: $input) {
      valid
      errorCount
      warningCount
      issues {
        code
        severity
        message
        layerIndex
      }
      resolvedLayers {
        pack
        version
        digest
      }
    }
  }
`);

/** A GraphQL error as the API reports it: `extensions.code` is the stable part (docs/errors.md). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/** One typed request: the variables' and the result's types come from the document. */
export async function request<Result, Variables>(
  endpoint: string,
  token: string | undefined,
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(new URL('/graphql', endpoint), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  const [error] = body.errors ?? [];
  if (error) throw new ApiError(error.message, error.extensions?.code);
  if (!body.data) throw new ApiError(`HTTP ${response.status} without data`, undefined);
  return body.data;
}

/** Lists a page of packs, resolves the chosen pack's latest version, and validates an add-on profile using it. */
export async function run(endpoint: string, token: string | undefined, chosen: string | undefined, print: (line: string) => void): Promise<boolean> {
  const { packs } = await request(endpoint, token, ListPacks, { first: 10 });
  print(`${packs.totalCount} packs; the first ${packs.edges.length}:`);
  for (const { node } of packs.edges) print(`  ${node.name} (${node.layer}) latest ${node.latest?.version ?? '-'}`);

  const name = chosen ?? packs.edges.find((e) => e.node.layer === 'ADDON')?.node.name;
  if (!name) throw new Error('No add-on pack to use: name one.');
  const { packVersion } = await request(endpoint, token, ResolveVersion, { name, version: 'latest' });
  if (!packVersion) throw new Error(`${name} has no version.`);
  print(`${name}@latest is ${packVersion.version} in ${packVersion.registry.name}: ${packVersion.digest}`);

  const { validateProfile } = await request(endpoint, token, ValidateProfile, {
    input: { name: 'example', type: 'ADDON', cloudType: 'all', layers: [{ pack: name, version: packVersion.version }] },
  });
  print(`profile valid: ${validateProfile.valid} (${validateProfile.errorCount} errors, ${validateProfile.warningCount} warnings)`);
  for (const issue of validateProfile.issues) print(`  ${issue.severity} ${issue.code}: ${issue.message}`);
  for (const layer of validateProfile.resolvedLayers) print(`  resolves ${layer.pack} ${layer.version} ${layer.digest}`);
  return validateProfile.valid;
}

// Run as a script (not when imported).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const endpoint = process.env.PACK_CATALOG_URL ?? 'http://localhost:4000';
  run(endpoint, process.env.PACK_CATALOG_TOKEN, process.argv[2], (line) => console.log(line)).then(
    (valid) => process.exit(valid ? 0 : 2),
    (error: unknown) => {
      console.error(error instanceof ApiError ? `${error.code}: ${error.message}` : String(error));
      process.exit(1);
    },
  );
}
