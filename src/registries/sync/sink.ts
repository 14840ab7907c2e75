/**
 * What the sync engine needs from the catalog, and all it may do there: the catalog implements
 * this (`PackIngestService`), the engine never reaches the catalog's tables or classes, so
 * `registries` does not depend on `catalog`.
 */
import type { RegistryKind } from '../../generated/prisma/enums.js';
import type { StoredVersion } from './plan.js';

/** One fetched pack tarball to bring into a registry's catalog. */
export interface SinkIngestRequest {
  registry: { id: string; name: string; kind: RegistryKind };
  /** A gzip pack tarball on local disk; the engine owns (and removes) it. Unused when `archive` is given. */
  archivePath?: string;
  /** The tarball's bytes, when the adapter holds them (small packs): read and stored from memory. */
  archive?: Buffer;
  /** Its digest (`sha256:<hex>`) and size when the adapter knows them already (hashed while writing, verified on download). */
  digest?: string;
  size?: number;
  /** Recorded on the version as who published it. */
  publishedBy: string;
  /** `sync` and `seed` both take a different digest for a stored version as an update (never a conflict). */
  mode: 'sync' | 'seed';
  /** The upstream's change marker of this item, stored with the version for the next diff. */
  upstreamMarker?: string;
  /** Accept real-world warts (a leading `v`, a dependency with no type) as warnings. */
  lenient?: boolean;
  /** Off for metadata-only mirrors (pack.json and values without the charts they name). */
  checkReferencedFiles?: boolean;
  /** The pack's values.yaml as the adapter that wrote the tarball parsed it already (PackValidationOptions.checkedValues). */
  checkedValues?: string;
  /** A stopping engine or a lost lease: the ingest rejects with the signal's reason and stores nothing more. */
  signal?: AbortSignal;
  /** The upstream's signatures of the item's manifest (docs/signatures.md), stored with it and checked against the registry's trust policy. */
  signatures?: UpstreamSignatures;
}

/** Signature manifests an upstream holds for one pack manifest (`subject`), with the blobs they name (verified by digest). */
export interface UpstreamSignatures {
  subject: string;
  manifests: Array<{ bytes: Buffer; tag: string | null }>;
  blobs: Buffer[];
}

/** What became of an ingested tarball: the version it holds (read from its pack.json). */
export interface SinkIngestOutcome {
  status: 'created' | 'updated' | 'unchanged';
  name: string;
  version: string;
}

/**
 * Ingests of one sync run into one registry: each tarball is read and its objects stored when it is
 * added; the rows of many are written together (after the objects are durable), so a run costs a
 * few transactions rather than one per version.
 */
export interface SinkBatch {
  /**
   * Reads and checks the tarball and stores its objects; resolves once the tarball file is no
   * longer needed, with `committed`, which settles when its rows are written (or refused). Rejects,
   * for this tarball only, when it is refused before anything is queued.
   */
  add(request: SinkIngestRequest): Promise<{ committed: Promise<SinkIngestOutcome> }>;
  /**
   * Writes what is queued and resolves when every `committed` has settled. With `signal` aborted,
   * queued rows are dropped instead (their `committed` reject with the signal's reason).
   */
  close(): Promise<void>;
}

export interface PackSink {
  /** Opens a batch of ingests into one registry; `signal` stops it (nothing more is written). */
  openBatch(registry: SinkIngestRequest['registry'], options?: { signal?: AbortSignal }): Promise<SinkBatch>;
  /** Every version the registry holds, with its change marker (removed ones included). */
  listVersionMarkers(registryId: string): Promise<StoredVersion[]>;
  /** Hides versions from the catalog (they stay stored for profiles that use them); returns how many changed. */
  markRemoved(registryId: string, versions: Array<{ name: string; version: string }>): Promise<number>;
  /**
   * Flags versions deprecated (a pack with no other version left is deprecated too); versions
   * already deprecated are left as they are. Returns how many changed.
   */
  markDeprecated(registryId: string, versions: Array<{ name: string; version: string }>): Promise<number>;
}
