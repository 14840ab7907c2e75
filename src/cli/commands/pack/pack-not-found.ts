/**
 * "Not found" for a pack name, and for registries named on the command line, with "did you mean"
 * (the server suggests from the names the caller may read; registries are matched here, there are few).
 * Asked only once a command has to fail, or (registries) once a filter names some.
 */
import { didYouMean, suggestNames } from '../../../packs/name-suggestions.js';
import type { CatalogClient } from '../../client.js';
import { CliError } from '../../errors.js';
import { graphql } from '../../generated/gql.js';

const SUGGEST = graphql(`
  query PackNameSuggestions($name: String!) {
    packNameSuggestions(name: $name)
  }
`);

const REGISTRY_NAMES = graphql(`
  query RegistryNames {
    registries {
      name
    }
  }
`);

/** `Pack cert-manger was not found (did you mean "cert-manager"?).` */
export async function packNotFound(client: CatalogClient, name: string, registry?: string): Promise<CliError> {
  const where = registry ? ` in registry ${registry}` : '';
  const { packNameSuggestions } = await client.request(SUGGEST, { name });
  return new CliError(`Pack ${name} was not found${where}${didYouMean(packNameSuggestions)}.`, { code: 'NOT_FOUND' });
}

/** Refuses the first named registry the caller cannot see, instead of an empty answer that reads as "nothing matches". */
export async function assertRegistriesExist(client: CatalogClient, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const { registries } = await client.request(REGISTRY_NAMES);
  const known = registries.map((r) => r.name);
  const missing = names.find((n) => !known.includes(n));
  if (missing === undefined) return;
  throw new CliError(`Registry ${missing} does not exist (or you may not read it)${didYouMean(suggestNames(missing, known))}. packctl registry ls lists them.`, {
    code: 'NOT_FOUND',
  });
}
