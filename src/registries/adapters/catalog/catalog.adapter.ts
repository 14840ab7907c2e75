/**
 * CATALOG: another pack-catalog instance, read over its GraphQL API (`<endpoint>/graphql`) with the
 * registry's `token` credential; artifacts come from each version's `downloadUrl`
 * (`/artifacts/sha256/<hex>`) and are checked against the digest the API states, which is also
 * the change marker.
 *
 * Loops and echoes: only versions the remote holds in its own registries are taken, never those
 * in its CATALOG registries (what it federates from elsewhere, possibly from us) nor its built-in
 * DEFAULT registry (every instance ships the same one). Two instances federating each other thus
 * exchange what each one owns, once. An endpoint that turns out to be this very instance (its
 * registries have our ids) is refused.
 */
import type { RegistryCredentials } from '../../registry.model.js';
import { UpstreamError } from '../../../errors.js';
import type { AdapterOptions, AdapterRegistry, FetchedPack, ListingProblem, RegistryAdapter, UpstreamItem, UpstreamListing } from '../adapter.js';
import { describeUrl, parseJsonBody } from '../../../platform/http-client.js';
import { statusError, withRequestSignal, type RegistryHttpClient } from '../registry-http.js';
import { toGlobalId } from '../../../graphql/node.js';
import { inWorkDir } from '../support.js';

export interface CatalogItemRef {
  downloadUrl: string;
  digest: string;
  /** The remote registry this version comes from. */
  registry: string;
}

/** Remote registry kinds whose packs are taken (see the module comment). */
export const FEDERATED_KINDS = new Set(['HOSTED', 'OCI', 'HELM', 'DIRECTORY']);

// pack-catalog's cost estimate refuses 100 packs with their versions (over 20 000); 25 stays well under.
const PAGE_SIZE = 25;
const MAX_PAGES = 10_000;
const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;

const REGISTRIES_QUERY = /* GraphQL */ `
  query FederationRegistries {
    registries { id name kind priority }
  }
`;

const PACKS_QUERY = /* GraphQL */ `
  query FederationPacks($first: Int!, $after: String, $filter: PackFilter) {
    packs(first: $first, after: $after, filter: $filter) {
      edges { node { name versions { version digest downloadUrl registry { name } } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

interface RemoteRegistry {
  id: string;
  name: string;
  kind: string;
  priority: number;
}

interface PacksPage {
  packs: {
    edges: Array<{ node: { name: string; versions: Array<{ version: string; digest: string; downloadUrl: string | null; registry: { name: string } | null }> } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

export class CatalogRegistryAdapter implements RegistryAdapter<CatalogItemRef> {
  private readonly graphqlUrl: string;
  private readonly origin: string;

  constructor(
    private readonly registry: AdapterRegistry,
    private readonly credentials: RegistryCredentials | null,
    private readonly options: AdapterOptions,
    private readonly http: RegistryHttpClient,
  ) {
    const endpoint = new URL(registry.endpoint!);
    this.origin = endpoint.origin;
    const base = endpoint.toString().replace(/\/+$/, '');
    this.graphqlUrl = base.endsWith('/graphql') ? base : `${base}/graphql`;
  }

  async list(signal: AbortSignal): Promise<UpstreamListing<CatalogItemRef>> {
    const { registries } = await this.query<{ registries: RemoteRegistry[] }>(REGISTRIES_QUERY, {}, signal);
    if (!Array.isArray(registries)) throw new UpstreamError(`${describeUrl(this.graphqlUrl)} answered a registries list that is not a list.`);
    // A remote answers global ids (`Registry` + key, graphql/node.ts); one from before them, bare ones.
    const ownIds = new Set([this.registry.id, toGlobalId('Registry', this.registry.id)]);
    if (registries.some((remote) => ownIds.has(remote.id))) {
      throw new UpstreamError('This endpoint is this very pack-catalog instance; a CATALOG registry must point at another one.');
    }
    const eligible = registries.filter((remote) => FEDERATED_KINDS.has(remote.kind));
    // Higher priority first, so that when two remote registries hold the same version, the remote's default source wins.
    const rank = new Map([...eligible].sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name)).map((r, i) => [r.name, i]));
    if (eligible.length === 0) return { items: [] };

    const chosen = new Map<string, UpstreamItem<CatalogItemRef> & { rank: number }>();
    const problems: ListingProblem[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      if (page >= MAX_PAGES) throw new UpstreamError(`The remote catalog runs past ${MAX_PAGES} pages.`);
      const data: PacksPage = await this.query<PacksPage>(
        PACKS_QUERY,
        { first: PAGE_SIZE, after, filter: { registry: eligible.map((remote) => remote.name) } },
        signal,
      );
      const connection = data?.packs;
      if (!connection || !Array.isArray(connection.edges) || !connection.pageInfo) {
        throw new UpstreamError(`${describeUrl(this.graphqlUrl)} answered a packs page without edges or pageInfo.`);
      }
      for (const { node } of connection.edges) {
        for (const version of node?.versions ?? []) {
          const source = version.registry?.name;
          const sourceRank = source === undefined ? undefined : rank.get(source);
          if (sourceRank === undefined || !version.downloadUrl || !DIGEST_PATTERN.test(version.digest ?? '')) continue;
          const key = `${node.name}@${version.version}`;
          const existing = chosen.get(key);
          if (existing && existing.rank <= sourceRank) continue;
          let downloadUrl: string;
          try {
            downloadUrl = new URL(version.downloadUrl, this.origin).toString();
          } catch {
            problems.push({ item: key, name: node.name, version: version.version, message: 'The remote gave a downloadUrl that is not a URL.' });
            continue;
          }
          chosen.set(key, {
            name: node.name,
            version: version.version,
            marker: version.digest,
            rank: sourceRank,
            ref: { downloadUrl, digest: version.digest, registry: source! },
          });
        }
      }
      if (!connection.pageInfo.hasNextPage) break;
      if (!connection.pageInfo.endCursor || connection.pageInfo.endCursor === after) {
        throw new UpstreamError(`${describeUrl(this.graphqlUrl)} says there are more packs but gives no new cursor.`);
      }
      after = connection.pageInfo.endCursor;
    }
    return { items: [...chosen.values()].map(({ rank: _rank, ...item }) => item), problems };
  }

  async fetch(item: UpstreamItem<CatalogItemRef>, signal: AbortSignal): Promise<FetchedPack> {
    const ref = item.ref!;
    return inWorkDir(this.options.tmpDir, `${item.name}-${item.version}`, async (dir) => {
      // The client sends the token to the remote's own origin only, and refuses a downloadUrl (or a
      // redirect, say to a presigned object-store URL) on an origin the registry does not allow.
      const download = await withRequestSignal(signal, (own) =>
        this.http.download(ref.downloadUrl, { dir, headers: this.authHeaders(), signal: own, expectedDigest: ref.digest, maxBytes: this.options.maxArtifactBytes }),
      );
      return { archivePath: download.path, digest: download.digest, size: download.size };
    });
  }

  private authHeaders(): Record<string, string> {
    const token = this.credentials?.token ?? this.credentials?.password;
    return token ? { authorization: `Bearer ${token}` } : {};
  }

  private async query<T>(query: string, variables: Record<string, unknown>, signal: AbortSignal): Promise<T> {
    const response = await withRequestSignal(signal, (own) =>
      this.http.request(this.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...this.authHeaders() },
        body: JSON.stringify({ query, variables }),
        signal: own,
      }),
    );
    const isJson = String(response.headers['content-type'] ?? '').includes('json');
    if (response.status !== 200 && !isJson) throw statusError(response);
    const body = parseJsonBody<{ data?: T | null; errors?: Array<{ message?: string; extensions?: { code?: string } }> }>(response);
    if (body.errors?.length) {
      const first = body.errors[0];
      const code = first.extensions?.code ? ` (${first.extensions.code})` : '';
      throw new UpstreamError(`The remote catalog refused the query${code}: ${String(first.message ?? 'no message').slice(0, 300)}`, response.status);
    }
    if (response.status !== 200 || !body.data) throw statusError(response);
    return body.data;
  }
}
