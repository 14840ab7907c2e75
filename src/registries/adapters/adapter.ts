/**
 * The one interface every upstream registry kind implements. The sync engine only ever talks to
 * an upstream through it: list what is there (cheaply, with a change marker per item), then fetch
 * the items that are new or changed as local pack tarballs.
 */
import type { UpstreamSignatures } from '../sync/sink.js';
import type { HttpClient } from '../../platform/http-client.js';

/** One pack version an upstream offers. */
export interface UpstreamItem<Ref = unknown> {
  /** Pack name, as the pack will be stored (pack.json `name`). */
  name: string;
  /** Pack version, as the pack will be stored (pack.json `version`). */
  version: string;
  /**
   * Cheap change marker: a manifest or content digest, an ETag, or version plus timestamp. Equal
   * markers mean equal content, so the engine skips the fetch.
   */
  marker: string;
  /** Whatever the adapter needs later to fetch this item (URLs, layer digests...). */
  ref?: Ref;
}

/** An upstream entry that could not even be listed (bad manifest, unreadable pack.json). */
export interface ListingProblem {
  /** What the entry is called upstream (`repo:tag`, a folder name, `chart:version`). */
  item: string;
  message: string;
  /** When known: the pack version this was, so the engine does not take it for removed. */
  name?: string;
  version?: string;
}

/** What an upstream holds right now. */
export interface UpstreamListing<Ref = unknown> {
  items: Array<UpstreamItem<Ref>>;
  /** Change marker of the whole upstream (a Helm index's ETag or digest), stored after a clean run. */
  upstreamMarker?: string;
  /**
   * True when the whole upstream's marker equals the previous one given to the adapter: nothing
   * changed, `items` may be empty and must not be read as "everything was removed".
   */
  unchanged?: boolean;
  /** Entries that could not be listed: recorded as item errors, never taken for removals. */
  problems?: ListingProblem[];
}

/** A pack tarball on local disk, produced by `fetch`; `cleanup` removes it (and its temp folder). */
export interface FetchedPack {
  /** A gzip pack tarball on disk; absent when `archive` holds it. */
  archivePath?: string;
  /** The tarball's bytes, when small enough to be kept in memory (no file written, none read again). */
  archive?: Buffer;
  /** Its digest (`sha256:<hex>`) and size, when the adapter knows them (verified on download, hashed while written): not hashed again. */
  digest?: string;
  size?: number;
  /** The upstream's signatures of the item's manifest, when it has some (OCI upstreams). */
  signatures?: UpstreamSignatures;
  /** The tarball's values.yaml, when the adapter wrote it and parsed it already (a converted chart): not parsed again. */
  checkedValues?: string;
  cleanup(): Promise<void>;
}

/**
 * An upstream registry. `list` throws (an `UpstreamError`) when the listing can't be completed:
 * a partial listing must never be returned, since the engine marks what it lacks as removed.
 * `fetch` throws for that one item only; the engine records it and goes on.
 */
export interface RegistryAdapter<Ref = unknown> {
  list(signal: AbortSignal): Promise<UpstreamListing<Ref>>;
  fetch(item: UpstreamItem<Ref>, signal: AbortSignal): Promise<FetchedPack>;
  /** Releases sockets and the like. */
  close?(): void;
}

/** What the engine passes to every adapter. */
export interface AdapterOptions {
  /** The one HTTP client; the factory gives each HTTP adapter its registry's view of it. */
  http: HttpClient;
  /** Where fetched and converted tarballs are written (a temp folder per fetch is made inside). */
  tmpDir: string;
  /** The upstream marker stored after the last clean run; absent on a forced run. */
  previousMarker?: string | null;
  /** Largest artifact accepted (bytes). */
  maxArtifactBytes?: number;
  /** Parallel requests while listing (manifests, pack.json reads). */
  listConcurrency?: number;
  /** Largest Helm index.yaml accepted (MAX_HELM_INDEX_BYTES). */
  maxHelmIndexBytes?: number;
}

/** The registry fields an adapter reads. */
export interface AdapterRegistry {
  id: string;
  name: string;
  kind: string;
  endpoint: string | null;
  basePath: string | null;
  repositories: string[];
  insecure: boolean;
  /** Origins besides the endpoint's own that pagination links, downloads and redirects may point to. */
  allowedOrigins: string[];
}
