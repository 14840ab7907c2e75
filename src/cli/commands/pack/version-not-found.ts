/**
 * "Not found" for a pack version, with the versions nearest to the one asked for (as profile
 * validation lists what exists): `crossplane:9.9 was not found; closest versions: 2.1.3, 2.1.2`.
 * packVersion answers null for a version that does not resolve (callers probe with it), so the
 * versions are asked for only once a command has to fail.
 */
import { closestVersions } from '../../../packs/closest-versions.js';
import type { CatalogClient } from '../../client.js';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';
import { packNotFound } from './pack-not-found.js';

/** The newest page is enough to point at the right neighbourhood; the hint says how many exist. */
const VERSIONS_PAGE = 100;

const PACK_VERSIONS = graphql(`
  query PackVersionsNear($name: String!, $registry: String, $first: Int) {
    pack(name: $name, registry: $registry) {
      versionsConnection(first: $first) {
        totalCount
        edges {
          node {
            version
          }
        }
      }
    }
  }
`);

/** The NOT_FOUND error for `reference` of pack `name` (`shown` as the user typed it), naming the closest versions. */
export async function versionNotFound(client: CatalogClient, name: string, reference: string, shown: string, registry?: string): Promise<CliError> {
  const where = registry ? ` in registry ${registry}` : '';
  const { pack } = await client.request(PACK_VERSIONS, { name, registry: registry ?? null, first: VERSIONS_PAGE });
  if (!pack) return packNotFound(client, name, registry);
  const { totalCount, edges } = pack.versionsConnection;
  const versions = edges.map((edge) => edge.node.version);
  if (versions.length === 0) return new CliError(`${shown} was not found${where}: ${name} has no versions.`, { code: 'NOT_FOUND' });
  const closest = closestVersions(reference, versions);
  // A tag or digest names no number to be close to: the newest versions are the useful ones then.
  const label = /^[vV]?\d/.test(reference) ? 'closest versions' : 'newest versions';
  const more = totalCount > closest.length ? ` (${totalCount} in all: packctl pack show ${name})` : '';
  return new CliError(`${shown} was not found${where}; ${label}: ${closest.join(', ')}${more}.`, { code: 'NOT_FOUND' });
}
