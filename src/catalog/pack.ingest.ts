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
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Db } from '../platform/database.js';
import type { ArtifactStore } from '../artifacts/artifact.store.js';
import { sha256File } from '../artifacts/artifact.store.js';
import type { Layer, RegistryKind } from '../generated/prisma/enums.js';
import { Prisma } from '../generated/prisma/client.js';
import { ConflictError, InvalidInputError } from '../errors.js';
import { readPackArchive } from '../packs/pack.reader.js';
import type { ArchiveLimits } from '../packs/pack.archive.js';
import type { PackIssue, PackManifest, ReadPack } from '../packs/pack.types.js';
import { compareVersions } from '../packs/version.js';

export interface IngestRequest {
  registry: { id: string; name: string; kind: RegistryKind };
  /** A gzip pack tarball on local disk; the caller owns (and removes) it. */
  archivePath: string;
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

export interface VersionMarker {
  name: string;
  version: string;
  upstreamMarker: string | null;
  digest: string;
  removedAt: Date | null;
}

const LAYER_OF: Record<PackManifest['layer'], Layer> = {
  kernel: 'KERNEL',
  os: 'OS',
  k8s: 'K8S',
  cni: 'CNI',
  csi: 'CSI',
  addon: 'ADDON',
};

export function isDeprecated(manifest: PackManifest): boolean {
  return manifest.annotations.system_state === 'deprecated';
}

function json(value: unknown): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value === null || value === undefined ? Prisma.DbNull : (value as Prisma.InputJsonValue);
}

export class PackIngestService {
  /** Uploads of the same bytes running in this process: concurrent pushes share one. */
  private readonly inflightPuts = new Map<string, Promise<unknown>>();

  constructor(
    private readonly prisma: Db,
    private readonly artifacts: ArtifactStore,
    private readonly limits: Partial<ArchiveLimits> = {},
  ) {}

  async ingest(request: IngestRequest): Promise<IngestOutcome> {
    const { signal } = request;
    const read = await readPackArchive(request.archivePath, {
      lenient: request.lenient,
      checkReferencedFiles: request.checkReferencedFiles,
      limits: this.limits,
      signal,
    });
    if (!read.ok) {
      const errors = read.issues.filter((i) => i.severity === 'error');
      throw new InvalidInputError(
        `The pack was refused: ${errors.length} problem(s): ${errors.slice(0, 3).map((i) => i.message).join(' ')}`,
        { issues: read.issues.map((i) => ({ ...i })) },
      );
    }
    const pack = read.pack;
    const warnings = read.issues;
    request.accept?.(pack);
    const { digest, size } =
      request.digest && request.size !== undefined ? { digest: request.digest, size: request.size } : await sha256File(request.archivePath);
    signal?.throwIfAborted();
    const { name, version } = pack.manifest;

    const existing = await this.findVersion(request.registry.id, name, version);
    if (existing && existing.digest === digest) {
      if (existing.removedAt || (request.upstreamMarker && existing.upstreamMarker !== request.upstreamMarker)) {
        await this.prisma.packVersion.update({
          where: { id: existing.id },
          data: { removedAt: null, upstreamMarker: request.upstreamMarker ?? existing.upstreamMarker },
        });
      }
      return { status: 'unchanged', versionId: existing.id, name, version, digest, warnings };
    }
    if (existing && request.mode === 'push' && !request.force) {
      throw this.conflict(request.registry.name, name, version, existing.digest, digest);
    }

    // 2. Objects first: the archive, then the logo (both content addressed, so repeats are cheap).
    await this.storeOnce(digest, () =>
      this.artifacts.putFile(request.archivePath, { expectedDigest: digest, expectedSize: size, contentType: 'application/gzip' }),
    );
    const logo = pack.logo ? await this.storeLogo(pack.logo.bytes) : null;
    // Past this point the version is written whole: an abort before it leaves only collectable objects.
    signal?.throwIfAborted();

    // 3. Then the rows, in one transaction.
    try {
      const versionId = await this.writeRowsWithRetry(async (tx) => {
        await tx.artifact.createMany({
          data: [
            { digest, size: BigInt(size), mediaType: 'application/gzip' },
            ...(logo ? [{ digest: logo.digest, size: BigInt(logo.size), mediaType: 'image/png' }] : []),
          ],
          skipDuplicates: true,
        });
        const packRow = await this.upsertPack(tx, request.registry.id, pack, logo?.digest ?? null);
        const data = {
          digest,
          size: BigInt(size),
          values: pack.values,
          presets: json(pack.presets),
          schema: json(pack.schema),
          readme: pack.readme,
          annotations: json(pack.manifest.annotations),
          constraints: json(pack.manifest.constraints),
          charts: pack.manifest.charts,
          manifests: pack.manifest.kubeManifests,
          cloudTypes: pack.manifest.cloudTypes,
          packJson: pack.manifest.raw as Prisma.InputJsonValue,
          deprecated: isDeprecated(pack.manifest),
          removedAt: null,
          upstreamMarker: request.upstreamMarker ?? null,
          message: request.message ?? null,
          publishedBy: request.publishedBy,
        };
        if (existing) {
          await tx.packVersion.update({ where: { id: existing.id }, data });
          return existing.id;
        }
        const created = await tx.packVersion.create({
          data: { ...data, packId: packRow.id, registryId: request.registry.id, version },
        });
        return created.id;
      });
      return { status: existing ? 'updated' : 'created', versionId, name, version, digest, warnings };
    } catch (error) {
      // A concurrent push of the same version won the race: same bytes is a no-op, others conflict.
      if ((error as { code?: string }).code === 'P2002') {
        const winner = await this.findVersion(request.registry.id, name, version);
        if (winner && winner.digest === digest) return { status: 'unchanged', versionId: winner.id, name, version, digest, warnings };
        if (winner) throw this.conflict(request.registry.name, name, version, winner.digest, digest);
      }
      throw error;
    }
  }

  private async storeLogo(bytes: Buffer): Promise<{ digest: string; size: number }> {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    await this.storeOnce(digest, () => this.artifacts.put(Readable.from([bytes]), { expectedDigest: digest, contentType: 'image/png' }));
    return { digest, size: bytes.length };
  }

  private async storeOnce(digest: string, put: () => Promise<unknown>): Promise<void> {
    let pending = this.inflightPuts.get(digest);
    if (!pending) {
      pending = put().finally(() => this.inflightPuts.delete(digest));
      this.inflightPuts.set(digest, pending);
    }
    await pending;
  }

  /**
   * Runs the row writes in one transaction, retrying when PostgreSQL reports a deadlock or
   * serialization failure (P2034) or the pool had no connection in time (P2028): concurrent
   * pushes of the same pack may collide on its rows, and the loser's retry then sees the winner.
   */
  private async writeRowsWithRetry<T>(work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.prisma.$transaction(work, { maxWait: 15_000, timeout: 30_000 });
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (attempt >= 4 || (code !== 'P2034' && code !== 'P2028')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt + Math.random() * 50));
      }
    }
  }

  async listVersionMarkers(registryId: string): Promise<VersionMarker[]> {
    const rows = await this.prisma.packVersion.findMany({
      where: { registryId },
      select: { version: true, upstreamMarker: true, digest: true, removedAt: true, pack: { select: { name: true } } },
    });
    return rows.map((r) => ({ name: r.pack.name, version: r.version, upstreamMarker: r.upstreamMarker, digest: r.digest, removedAt: r.removedAt }));
  }

  async markRemoved(registryId: string, versions: Array<{ name: string; version: string }>): Promise<number> {
    if (versions.length === 0) return 0;
    const rows = await this.prisma.packVersion.findMany({
      where: { registryId, removedAt: null, OR: versions.map((v) => ({ version: v.version, pack: { name: v.name } })) },
      select: { id: true },
    });
    const { count } = await this.prisma.packVersion.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { removedAt: new Date() },
    });
    return count;
  }

  private findVersion(registryId: string, name: string, version: string) {
    return this.prisma.packVersion.findFirst({ where: { registryId, version, pack: { name } } });
  }

  private conflict(registry: string, name: string, version: string, stored: string, pushed: string): ConflictError {
    return new ConflictError(
      `${name}:${version} already exists in registry "${registry}" with digest ${stored}; this archive is ${pushed}. ` +
        'Push a new version, or overwrite with force: true and a message.',
      { digest: stored },
    );
  }

  /** The pack row carries the newest version's metadata (display name, layer, cloud types...). */
  private async upsertPack(tx: Prisma.TransactionClient, registryId: string, pack: ReadPack, logoDigest: string | null) {
    const m = pack.manifest;
    const metadata = {
      displayName: m.displayName,
      layer: LAYER_OF[m.layer],
      addonType: m.addonType ?? null,
      addonSubType: m.addonSubType ?? null,
      cloudTypes: m.cloudTypes,
      group: m.group ?? null,
      deprecated: isDeprecated(m),
      ...(logoDigest ? { logoDigest } : {}),
    };
    // createMany + skipDuplicates is an INSERT ... ON CONFLICT DO NOTHING: safe under concurrent pushes.
    await tx.pack.createMany({ data: [{ registryId, name: m.name, ...metadata }], skipDuplicates: true });
    const row = await tx.pack.findUniqueOrThrow({
      where: { registryId_name: { registryId, name: m.name } },
      include: { versions: { select: { version: true }, where: { removedAt: null } } },
    });
    const newest = row.versions.every((v) => compareVersions(m.version, v.version) >= 0);
    if (newest) await tx.pack.update({ where: { id: row.id }, data: metadata });
    return row;
  }
}
