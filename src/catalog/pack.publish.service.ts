/** Publisher operations on HOSTED registries: push, delete a version, add and delete tags. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { parseDigest, spoolToFile } from '../artifacts/artifact.store.js';
import type { DeclaredPut } from '../artifacts/declared-put.js';
import type { PackReadResult } from '../packs/pack.types.js';
import { ForbiddenError, InvalidInputError, NotFoundError, PayloadTooLargeError } from '../errors.js';
import { assertCanPublish, assertRole, canReadRegistry, type Principal } from '../auth/principal.js';
import { closestVersions } from '../packs/closest-versions.js';
import { eolDayOf, type PackLifecycleOverride, type PackLifecycleState } from '../packs/pack-lifecycle.js';
import { isParentTag } from '../packs/version.js';
import type { RegistryRecord } from '../registries/registry.model.js';
import { assertMaySetLifecycle } from './pack-lifecycle.access.js';
import type { IngestOutcome, IngestRequest, PackIngestService } from './pack.ingest.js';
import type { PackStore } from './pack.store.js';

export interface UploadedFile {
  filename: string;
  /** The request's file as it arrives (http/upload-stream.ts): readable once. */
  createReadStream(): Readable;
}

export interface PushRequest {
  registry: string;
  upload: UploadedFile;
  force?: boolean | null;
  message?: string | null;
  /**
   * The archive's digest (`sha256:<hex>`) and size, declared by the pusher (packctl hashes the file
   * before sending it): both or neither. Declared, the bytes stream straight to the store's final key.
   */
  digest?: string | null;
  size?: number | null;
  /** The request's signal: when it aborts (client gone, shutdown) the upload and the archive read stop and nothing is stored. */
  signal?: AbortSignal;
}

/**
 * The client went away mid-upload: graphql-upload-minimal then destroys the file stream ("Request
 * disconnected during file upload stream parsing.") or busboy reports the request cut short. Not
 * a server fault.
 */
export function isInterruptedUpload(error: unknown): boolean {
  const message = (error as { message?: string } | null)?.message;
  return /disconnect|aborted|unexpected end of (form|file)/i.test(message ?? '');
}

/** What every ingest of a push carries besides the archive. */
type PushBase = Omit<IngestRequest, 'archivePath' | 'digest' | 'size' | 'read' | 'storeArchive'> & { signal?: AbortSignal };

/** Palette tags: `group__label`, e.g. `lts__1.29.4`. */
const TAG_PATTERN = /^[a-z0-9][a-z0-9.-]{0,62}__[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Whether `tag` is a publisher tag (`group__label`) that `addTag` sets; OCI pushes to such a tag move it. */
export function isPublisherTag(tag: string): boolean {
  return TAG_PATTERN.test(tag);
}
const MAX_MESSAGE_LENGTH = 1000;
/** How far the archive check may lag behind the spool before the upload waits for it. */
const CHECK_BUFFER_BYTES = 1024 * 1024;

/** How the publish service finds a registry (the registries feature answers): null when absent or hidden from the caller. */
export interface RegistryLookup {
  find(actor: Principal, name: string): Promise<RegistryRecord | null>;
}

/** Only HOSTED registries take pushes: the others' packs come from this service (DEFAULT) or from their upstream. */
export function assertAcceptsPushes(registry: Pick<RegistryRecord, 'name' | 'kind'>): void {
  if (registry.kind !== 'HOSTED') {
    throw new ForbiddenError(
      `Registry "${registry.name}" is ${registry.kind}: its packs come from ${registry.kind === 'DEFAULT' ? 'this service' : 'its upstream'}; push to a HOSTED registry.`,
    );
  }
}

export class PackPublishService {
  constructor(
    private readonly store: PackStore,
    private readonly registries: RegistryLookup,
    private readonly ingest: PackIngestService,
    private readonly options: { dataDir: string; maxUploadBytes: number },
  ) {}

  async push(actor: Principal, request: PushRequest): Promise<IngestOutcome> {
    const registry = await this.writableRegistry(actor, request.registry);
    if (request.force && !request.message?.trim()) {
      throw new InvalidInputError('A forced push overwrites a published version: give a message saying why.', { field: 'message' });
    }
    if (request.message && request.message.length > MAX_MESSAGE_LENGTH) {
      throw new InvalidInputError(`message is limited to ${MAX_MESSAGE_LENGTH} characters.`, { field: 'message' });
    }
    const declared = this.declaredArchive(request);
    const { signal } = request;
    let upload: Readable | undefined;
    const stopUpload = () => upload?.destroy(signal?.reason);
    signal?.addEventListener('abort', stopUpload, { once: true });
    try {
      signal?.throwIfAborted();
      const put = declared ? await this.ingest.beginArchivePut({ ...declared, maxBytes: this.options.maxUploadBytes }) : null;
      const open = () => (upload = request.upload.createReadStream());
      const base = {
        registry,
        publishedBy: actor.name,
        mode: 'push' as const,
        force: request.force ?? false,
        message: request.message?.trim() || undefined,
        signal,
      };
      return put ? await this.pushStreamed(put, open, base) : await this.pushSpooled(open, declared, base);
    } finally {
      signal?.removeEventListener('abort', stopUpload);
    }
  }

  /**
   * The archive's digest and size as the pusher declared them (both or neither), checked before a
   * byte is read; null when not declared.
   */
  private declaredArchive(request: PushRequest): { digest: string; size: number } | null {
    const { digest, size } = request;
    if ((digest === undefined || digest === null) && (size === undefined || size === null)) return null;
    if (digest === undefined || digest === null) throw new InvalidInputError('size is declared with the archive\'s digest: give both or neither.', { field: 'digest' });
    if (size === undefined || size === null) throw new InvalidInputError('digest is declared with the archive\'s size: give both or neither.', { field: 'size' });
    parseDigest(digest);
    if (!Number.isSafeInteger(size) || size < 0) throw new InvalidInputError('size is the archive\'s length in bytes: a non-negative integer.', { field: 'size' });
    if (size > this.options.maxUploadBytes) throw this.tooLarge();
    return { digest, size };
  }

  /**
   * A declared push: the bytes go to the store under their declared digest as they arrive, hashed
   * and read by the archive check in the same pass, with no spool (nothing reads the archive again).
   * The store completes the object only when ingest commits it, after every check passed; any
   * refusal, interruption or mismatch drops the put and no object appears.
   */
  private async pushStreamed(put: DeclaredPut, open: () => Readable, base: PushBase): Promise<IngestOutcome> {
    try {
      const { checking, check } = this.startCheck(base.signal);
      // A check that fails midway (the archive is refused whatever follows) cuts the PUT at once; the
      // upload is still read to its end, so its own limits answer as before.
      checking.then((read) => !read.ok && put.drop(), () => undefined);
      const received = await this.receiving(base.signal, () => put.receive(open(), { tap: check }));
      const read = await checking;
      return await this.ingest.ingest({ ...base, digest: received.digest, size: received.size, read, storeArchive: () => put.commit() });
    } finally {
      // A no-op once committed: otherwise the PUT is cut (or the temporary file removed) before its last bytes.
      await put.abort(base.signal?.reason);
    }
  }

  /** An undeclared push (or one too large for a single PUT): spooled while hashed and checked, then stored from the spool. */
  private async pushSpooled(open: () => Readable, declared: { digest: string; size: number } | null, base: PushBase): Promise<IngestOutcome> {
    // The upload goes to a private temporary folder while it is hashed, never into memory whole.
    const spoolRoot = path.join(this.options.dataDir, 'spool');
    await mkdir(spoolRoot, { recursive: true });
    const dir = await mkdtemp(path.join(spoolRoot, 'push-'));
    try {
      const archivePath = path.join(dir, 'pack.tar.gz');
      // One pass over the upload: hashed, spooled (the store re-reads the spool: the digest, its
      // key, is known only at the end) and read by the archive check at once, so the archive is
      // never read back from disk to be checked or hashed again.
      const { checking, check } = this.startCheck(base.signal);
      const limits = { maxBytes: this.options.maxUploadBytes, expectedDigest: declared?.digest, expectedSize: declared?.size };
      const stored = await this.receiving(base.signal, () => spoolToFile(open(), archivePath, limits, { tap: check }));
      const read = await checking;
      return await this.ingest.ingest({ ...base, archivePath, digest: stored.digest, size: stored.size, read });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** The archive check, reading the upload through a bounded tap while it arrives. */
  private startCheck(signal: AbortSignal | undefined): { check: PassThrough; checking: Promise<PackReadResult> } {
    const check = new PassThrough({ highWaterMark: CHECK_BUFFER_BYTES });
    // Errors reach us through the check's promise; a tap error must not go unhandled.
    check.on('error', () => undefined);
    const checking = this.ingest.readArchive(check, signal);
    checking.catch(() => undefined);
    return { check, checking };
  }

  /** Runs the upload's receipt, answering its failures as users should read them. */
  private async receiving<T>(signal: AbortSignal | undefined, receive: () => Promise<T>): Promise<T> {
    try {
      return await receive();
    } catch (error) {
      signal?.throwIfAborted();
      if ((error as { status?: number }).status === 413 || error instanceof PayloadTooLargeError) throw this.tooLarge();
      if (isInterruptedUpload(error)) {
        throw new InvalidInputError('The upload was interrupted before the archive was complete.', { field: 'archive' });
      }
      throw error;
    }
  }

  private tooLarge(): PayloadTooLargeError {
    return new PayloadTooLargeError(`The archive is larger than the ${this.options.maxUploadBytes}-byte upload limit.`);
  }

  async deleteVersion(actor: Principal, registryName: string, name: string, version: string): Promise<boolean> {
    const registry = await this.writableRegistry(actor, registryName);
    const row = await this.store.findVersion(registry.id, name, version);
    if (!row) throw await this.versionNotFound(actor, registryName, name, version);
    await this.store.deleteVersion(row, actor.name);
    // The object stays until the garbage collector finds no row pointing at it.
    return true;
  }

  async addTag(actor: Principal, registryName: string, name: string, version: string, tag: string): Promise<{ versionId: string }> {
    const registry = await this.writableRegistry(actor, registryName);
    if (isParentTag(tag) || tag === 'latest') {
      throw new InvalidInputError(`"${tag}" is computed from versions and can't be set.`, { field: 'tag' });
    }
    if (!TAG_PATTERN.test(tag)) {
      throw new InvalidInputError('A tag is `group__label` (e.g. `lts__1.29.4`): lowercase group, two underscores, a label.', {
        field: 'tag',
      });
    }
    const row = await this.store.findVersion(registry.id, name, version);
    if (!row) throw await this.versionNotFound(actor, registryName, name, version);
    // A tag names one version: setting it again moves it, as container registries do.
    await this.store.setTag(row, tag, actor.name);
    return { versionId: row.id };
  }

  /**
   * A publisher sets a version's lifecycle (packs/pack-lifecycle.ts): DEPRECATED (warned in profiles),
   * DISABLED (refused in new profiles) or ACTIVE again, with an optional eol date (YYYY-MM-DD; `""`
   * clears pack.json's) and replacement. Each call replaces the previous setting: what it gives wins
   * over pack.json, what it omits falls back to pack.json; `deprecatedAt` is kept from the first time
   * the version left ACTIVE. Who may: pack-lifecycle.access.ts (publishers in HOSTED registries,
   * ADMINs anywhere).
   */
  async setLifecycle(
    actor: Principal,
    registryName: string,
    name: string,
    version: string,
    input: { state: PackLifecycleState; eol?: string | null; replacedBy?: string | null },
  ): Promise<{ versionId: string }> {
    assertRole(actor, 'PUBLISHER');
    const registry = await this.registries.find(actor, registryName);
    // A registry hidden from the caller doesn't exist for it, for writes as for reads.
    if (!registry || !canReadRegistry(actor, registry)) throw new NotFoundError(`Registry "${registryName}" does not exist.`);
    assertMaySetLifecycle(actor, registry);
    const eol = input.eol?.trim();
    if (eol && !eolDayOf(eol)) throw new InvalidInputError(`eol "${input.eol}" is not a date (YYYY-MM-DD).`, { field: 'eol' });
    const replacedBy = input.replacedBy?.trim();
    if (replacedBy && replacedBy.length > 200) throw new InvalidInputError('replacedBy is at most 200 characters.', { field: 'replacedBy' });
    const row = await this.store.findVersion(registry.id, name, version);
    if (!row) throw await this.versionNotFound(actor, registryName, name, version);
    const previous = ((await this.store.versionRowById(row.id))?.lifecycle ?? null) as PackLifecycleOverride | null;
    const deprecatedAt = input.state === 'ACTIVE' ? null : (previous?.deprecatedAt ?? new Date().toISOString());
    await this.store.setLifecycle(row.id, {
      state: input.state,
      deprecatedAt,
      ...(input.eol !== undefined && input.eol !== null ? { eol: eol || null } : {}),
      ...(input.replacedBy !== undefined && input.replacedBy !== null ? { replacedBy: replacedBy || null } : {}),
      setBy: actor.name,
    });
    return { versionId: row.id };
  }

  /** A missing version's answer lists the closest versions the pack has there, as `packctl pack show` does. */
  private async versionNotFound(actor: Principal, registryName: string, name: string, version: string): Promise<NotFoundError> {
    const pack = await this.store.findReadablePack(actor, registryName, name);
    const closest = pack ? closestVersions(version, await this.store.liveVersionNames(pack.id), 3) : [];
    const hint = closest.length > 0 ? ` Closest versions: ${closest.join(', ')}.` : '';
    return new NotFoundError(`${name}:${version} is not in registry "${registryName}".${hint}`, { closestVersions: closest });
  }

  async deleteTag(actor: Principal, registryName: string, name: string, tag: string): Promise<boolean> {
    const registry = await this.writableRegistry(actor, registryName);
    if (isParentTag(tag) || tag === 'latest') {
      throw new InvalidInputError(`"${tag}" is computed from versions and can't be deleted.`, { field: 'tag' });
    }
    if (!(await this.store.deleteTag(registry.id, name, tag, actor.name))) throw new NotFoundError(`${name} has no tag "${tag}" in registry "${registryName}".`);
    return true;
  }

  /**
   * The registry `name` when the caller may push into it: it may publish there, may see it, and it
   * is HOSTED. The one check of "only HOSTED registries accept pushes", for pushPack and OCI alike.
   */
  async writableRegistry(actor: Principal, name: string): Promise<RegistryRecord> {
    assertCanPublish(actor, name);
    const registry = await this.registries.find(actor, name);
    // A registry hidden from the caller doesn't exist for it, for writes as for reads.
    if (!registry || !canReadRegistry(actor, registry)) throw new NotFoundError(`Registry "${name}" does not exist.`);
    assertAcceptsPushes(registry);
    return registry;
  }
}
