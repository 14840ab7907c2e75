/** The one place that maps a registry kind to its adapter. */
import { InvalidInputError } from '../../errors.js';
import type { RegistryCredentials } from '../registry.model.js';
import type { AdapterOptions, AdapterRegistry, RegistryAdapter } from './adapter.js';
import { CatalogRegistryAdapter } from './catalog/catalog.adapter.js';
import { DirectoryRegistryAdapter } from './directory/directory.adapter.js';
import { HelmRegistryAdapter } from './helm/helm.adapter.js';
import { OciRegistryAdapter } from './oci/oci.adapter.js';
import { registryHttpClient } from './registry-http.js';

export type { AdapterOptions, AdapterRegistry, FetchedPack, ListingProblem, RegistryAdapter, UpstreamItem, UpstreamListing } from './adapter.js';

/**
 * The adapter for an upstream registry. DEFAULT and HOSTED registries are stored by this service
 * and have nothing to sync: asking for their adapter is an InvalidInputError.
 */
export function createRegistryAdapter(
  registry: AdapterRegistry,
  credentials: RegistryCredentials | null,
  options: AdapterOptions,
): RegistryAdapter {
  if (registry.kind !== 'DIRECTORY' && registry.kind !== 'DEFAULT' && registry.kind !== 'HOSTED' && !registry.endpoint) {
    throw new InvalidInputError(`The ${registry.kind} registry "${registry.name}" has no endpoint.`, { field: 'endpoint' });
  }
  switch (registry.kind) {
    case 'OCI':
      return new OciRegistryAdapter(registry, credentials, options, registryHttpClient(options.http, registry)) as RegistryAdapter;
    case 'HELM':
      return new HelmRegistryAdapter(registry, credentials, options, registryHttpClient(options.http, registry)) as RegistryAdapter;
    case 'DIRECTORY':
      return new DirectoryRegistryAdapter(registry, options) as RegistryAdapter;
    case 'CATALOG':
      return new CatalogRegistryAdapter(registry, credentials, options, registryHttpClient(options.http, registry)) as RegistryAdapter;
    default:
      throw new InvalidInputError(`The ${registry.kind} registry "${registry.name}" is stored by this service; there is nothing to sync.`);
  }
}
