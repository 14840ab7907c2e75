/**
 * The one write path for pack versions: pushes, registry syncs and the default registry's seed all
 * come through here, so every version in the catalog was read by the same pack reader and stored
 * in the same order.
 *
 * Write order (a row never points at a missing object):
 *   1. the archive is read and checked (nothing stored yet);
 *   2. the object goes to the artifact store, its digest verified;
 *   3. the rows (artifact, pack, version) are written in one transaction.
 * A crash between 2 and 3 leaves an object with no row: garbage the collector removes later.
 *
 * A sync goes through a batch (`openBatch`, pack.ingest.batch.ts): the same steps 1 and 2 per
 * tarball, then step 3 for many versions at once, after one `sync()` of the artifact store made
 * all their objects durable.
 */
import { Readable } from 'node:stream';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import type { DeclaredPut } from '../artifacts/declared-put.js';
import { digestOf, sha256File } from '../platform/hashing.js';
import type { RegistryKind } from '../generated/prisma/enums.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import { readPackArchive, readPackArchiveStream } from '../packs/pack.reader.js';
import type { ArchiveLimits } from '../packs/pack.archive.js';
import type { PackReadOptions } from '../packs/pack.reader.js';
import type { PackIssue, PackReadResult, ReadPack } from '../packs/pack.types.js';
import type { PackStore, VersionMarker } from './pack.store.js';
import type { PackSink, SinkIngestRequest } from '../registries/sync/sink.js';
import { IngestBatch, type IngestBatchOptions, type PreparedVersion } from './pack.ingest.batch.js';
import type { SignatureGate } from './signature.gate.js';

export type { VersionMarker } from './pack.store.js';

export interface IngestRequest {
  registry: { id: string; name: string; kind: RegistryKind };
  /** A gzip pack tarball on local disk; the caller owns (and removes) it. Absent with `storeArchive`. */
  archivePath?: string;
  /**
   * Stores the archive in place of putting `archivePath` (step 2): a push whose bytes already
   * stream into the artifact store under their declared digest, held short of their end until
   * this is called, once every check of step 1 passed (declared-put.ts). Needs `digest`, `size`, `read`.
   */
  storeArchive?: () => Promise<unknown>;
  /** Known digest (`sha256:<hex>`) and size of the archive, when the caller hashed it already. */
  digest?: string;
  size?: number;
  publishedBy: string;
  /** push: a different digest for an existing version is a CONFLICT unless forced; sync/seed: it updates. */
  mode: 'push' | 'sync' | 'seed';
  upstreamMarker?: string;
  /** Accept real-world warts (a leading `v`, a dependency with no type) as warnings. */
  lenient?: boolean;
  /** Off for metadata-only upstreams (pack.json and values without the charts they name). */
  checkReferencedFiles?: boolean;
  force?: boolean;
  message?: string;
  /**
   * Checks of the caller on the pack read from the archive, before anything is stored (throw to
   * refuse): the archive is read once, by this service.
   */
  accept?: (pack: ReadPack) => void;
  /** Manifests besides the version's canonical one that a signature may name (an OCI push's own manifest). */
  manifestDigests?: string[];
  /**
   * The archive as already read while it arrived (`readArchive`, in the same pass that spooled it
   * to `archivePath`, with this request's reading options): checked instead of reading the file again.
   */
  read?: PackReadResult;
  /** Stops the work (the request went away, the service is stopping): ingest then rejects with the signal's reason and stores nothing more. */
  signal?: AbortSignal;
}

export interface IngestOutcome {
  status: 'created' | 'updated' | 'unchanged';
  versionId: string;
  name: string;
  version: string;
  digest: string;
  warnings: PackIssue[];
}

/** Reads the request's tarball: its bytes when it carries them, else its file. */
function readArchiveOf(request: { archivePath?: string; archive?: Buffer }, options: PackReadOptions): Promise<PackReadResult> {
  return request.archive ? readPackArchiveStream(Readable.from([request.archive]), options) : readPackArchive(request.archivePath!, options);
}

export class PackIngestService implements PackSink {
  /** Uploads of the same bytes running in this process: concurrent pushes share one. */
  private readonly inflightPuts = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: PackStore,
    private readonly artifacts: ArtifactStore,
    private readonly limits: Partial<ArchiveLimits> = {},
    /** The registry's trust policy, checked before anything is stored (pushes and syncs alike). */
    private readonly signatures?: SignatureGate,
  ) {}

  /**
   * Reads and checks an archive from a stream (an upload as it arrives), with this service's limits
   * and the default reading options: pass the result to `ingest` as `read`.
   */
  readArchive(source: Readable, signal?: AbortSignal): Promise<PackReadResult> {
    return readPackArchiveStream(source, { limits: this.limits, signal });
  }

  /**
   * Starts putting an archive whose digest and size the pusher declared (ArtifactStore.beginPut):
   * pass the put's `commit` to `ingest` as `storeArchive`. Null when the store can't (too large
   * for one PUT): the caller spools the upload as for an undeclared one.
   */
  beginArchivePut(declared: { digest: string; size: number; maxBytes: number }): Promise<DeclaredPut | null> {
    return this.artifacts.beginPut({ expectedDigest: declared.digest, expectedSize: declared.size, maxBytes: declared.maxBytes, contentType: 'application/gzip' });
  }

  async ingest(request: IngestRequest): Promise<IngestOutcome> {
    const { signal } = request;
    const { pack, warnings, digest, size } = await this.prepare(request);
    const { name, version } = pack.manifest;

    const existing = await this.store.findVersion(request.registry.id, name, version);
    if (existing && existing.digest === digest) {
      if (existing.removedAt || (request.upstreamMarker && existing.upstreamMarker !== request.upstreamMarker)) {
        await this.store.reviveVersion(existing.id, request.upstreamMarker ?? existing.upstreamMarker);
      }
      return { status: 'unchanged', versionId: existing.id, name, version, digest, warnings };
    }
    if (existing && request.mode === 'push' && !request.force) {
      throw this.conflict(request.registry.name, name, version, existing.digest, digest);
    }

    // 2. Objects first: the archive, then the logo (both content addressed, so repeats are cheap).
    const logo = request.storeArchive
      ? (await request.storeArchive(), pack.logo ? await this.storeLogo(pack.logo.bytes, {}) : null)
      : await this.storeObjects({ path: request.archivePath }, pack, { digest, size });
    // Past this point the version is written whole: an abort before it leaves only collectable objects.
    signal?.throwIfAborted();

    // 3. Then the rows, in one transaction. A concurrent writer of the same version that won the
    // race: same bytes is a no-op (unchanged), other bytes conflict.
    const outcome = await this.store.writeVersion({
      registryId: request.registry.id,
      pack,
      archive: { digest, size },
      logo,
      existingId: existing?.id,
      upstreamMarker: request.upstreamMarker ?? null,
      message: request.message ?? null,
      publishedBy: request.publishedBy,
    });
    if (outcome.status === 'conflict') throw this.conflict(request.registry.name, name, version, outcome.storedDigest, digest);
    return { status: outcome.status, versionId: outcome.versionId, name, version, digest, warnings };
  }

  /**
   * A batch of ingests into one registry for a sync (pack.ingest.batch.ts): each tarball is read and
   * its objects stored as it comes, the rows of many are written together.
   */
  async openBatch(registry: SinkIngestRequest['registry'], options: IngestBatchOptions = {}): Promise<IngestBatch> {
    return new IngestBatch(
      {
        store: this.store,
        artifacts: this.artifacts,
        prepare: (request) => this.prepare(request),
        storeObjects: (source, pack, archive, storeOptions) => this.storeObjects(source, pack, archive, storeOptions),
      },
      registry,
      options,
    );
  }

  /** 1. Reads and checks the archive (nothing stored yet); its digest is the caller's when known. */
  private async prepare(request: IngestRequest | SinkIngestRequest): Promise<PreparedVersion> {
    const { signal } = request;
    const read =
      (request as IngestRequest).read ??
      (await readArchiveOf(request, {
        lenient: request.lenient,
        checkReferencedFiles: request.checkReferencedFiles,
        checkedValues: (request as SinkIngestRequest).checkedValues,
        limits: this.limits,
        signal,
      }));
    if (!read.ok) {
      const errors = read.issues.filter((i) => i.severity === 'error');
      throw new InvalidInputError(
        `The pack was refused: ${errors.length} problem(s): ${errors.slice(0, 3).map((i) => i.message).join(' ')}`,
        { issues: read.issues.map((i) => ({ ...i })) },
      );
    }
    const pack = read.pack;
    (request as IngestRequest).accept?.(pack);
    const { digest, size } =
      request.digest && request.size !== undefined
        ? { digest: request.digest, size: request.size }
        : 'archive' in request && request.archive
          ? { digest: digestOf(request.archive), size: request.archive.length }
          : await sha256File(request.archivePath!);
    signal?.throwIfAborted();
    const { name, version } = pack.manifest;
    const upstream = (request as SinkIngestRequest).signatures;
    const manifestDigests = upstream ? [upstream.subject] : (request as IngestRequest).manifestDigests;
    const unsigned = this.signatures
      ? await this.signatures.check({ registry: request.registry, pack: name, version, digest, size, mode: request.mode, manifestDigests, upstream })
      : [];
    return { pack, warnings: unsigned.length > 0 ? [...read.issues, ...unsigned] : read.issues, digest, size };
  }

  /**
   * 2. Stores the archive, then the logo; answers the logo's object. With `deferSync`, the objects
   * are durable only after the store's `sync()` (a batch syncs once before its rows).
   */
  private async storeObjects(
    source: { path?: string; bytes?: Buffer },
    pack: ReadPack,
    archive: { digest: string; size: number },
    options: { deferSync?: boolean } = {},
  ): Promise<{ digest: string; size: number } | null> {
    const putOptions = { expectedDigest: archive.digest, expectedSize: archive.size, contentType: 'application/gzip', deferSync: options.deferSync };
    await this.storeOnce(archive.digest, options.deferSync, () =>
      source.bytes ? this.artifacts.put(source.bytes, putOptions) : this.artifacts.putFile(source.path!, putOptions),
    );
    return pack.logo ? this.storeLogo(pack.logo.bytes, options) : null;
  }

  private async storeLogo(bytes: Buffer, options: { deferSync?: boolean }): Promise<{ digest: string; size: number }> {
    const digest = digestOf(bytes);
    await this.storeOnce(digest, options.deferSync, () =>
      this.artifacts.put(bytes, { expectedDigest: digest, contentType: 'image/png', deferSync: options.deferSync }),
    );
    return { digest, size: bytes.length };
  }

  private async storeOnce(digest: string, deferSync: boolean | undefined, put: () => Promise<unknown>): Promise<void> {
    // A put whose durability waits for a batch's sync() is never what a caller that needs it now joins.
    const key = `${digest}${deferSync ? ' deferred' : ''}`;
    let pending = this.inflightPuts.get(key);
    if (!pending) {
      pending = put().finally(() => this.inflightPuts.delete(key));
      this.inflightPuts.set(key, pending);
    }
    await pending;
  }

  listVersionMarkers(registryId: string): Promise<VersionMarker[]> {
    return this.store.listVersionMarkers(registryId);
  }

  markRemoved(registryId: string, versions: Array<{ name: string; version: string }>): Promise<number> {
    return this.store.markRemoved(registryId, versions);
  }

  /** Deprecates these versions (and a pack left with no other version); answers how many changed. */
  async markDeprecated(registryId: string, versions: Array<{ name: string; version: string }>): Promise<number> {
    if (versions.length === 0) return 0;
    const gone = new Set(versions.map((v) => `${v.name}@${v.version}`));
    const stored = await this.store.listVersionMarkers(registryId);
    return this.store.deprecateVersionsNotIn(registryId, new Set(stored.map((v) => `${v.name}@${v.version}`).filter((key) => !gone.has(key))));
  }

  private conflict(registry: string, name: string, version: string, stored: string, pushed: string): ConflictError {
    return new ConflictError(
      `${name}:${version} already exists in registry "${registry}" with digest ${stored}; this archive is ${pushed}. ` +
        'Push a new version, or overwrite with force: true and a message.',
      { digest: stored },
    );
  }
}
