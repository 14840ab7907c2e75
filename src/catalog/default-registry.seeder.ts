/**
 * Seeds the DEFAULT registry from the pack folders shipped in `default-packs/`. Idempotent: an
 * unchanged pack is a no-op (its tarball is deterministic), a new version is added, and a version
 * dropped from the shipped set is marked deprecated, never deleted (profiles may still use it).
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../platform/database.js';
import type { Logger } from '../platform/logger.js';
import { createPackTarball } from '../packs/pack.archive.js';
import { DEFAULT_REGISTRY_NAME } from '../registries/registry.model.js';
import type { PackIngestService } from './pack.ingest.js';

export const DEFAULT_PACKS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../default-packs');

export interface SeedResult {
  added: number;
  updated: number;
  unchanged: number;
  deprecated: number;
  errors: Array<{ item: string; message: string }>;
}

export class DefaultRegistrySeeder {
  constructor(
    private readonly prisma: Db,
    private readonly ingest: PackIngestService,
    private readonly logger: Logger,
    private readonly dataDir: string,
    private readonly packsDir: string = DEFAULT_PACKS_DIR,
  ) {}

  async seed(): Promise<SeedResult> {
    const registry = await this.prisma.registry.findUniqueOrThrow({ where: { name: DEFAULT_REGISTRY_NAME } });
    const run = await this.prisma.syncRun.create({
      data: { registryId: registry.id, state: 'RUNNING', trigger: 'seed', startedAt: new Date() },
    });
    const result: SeedResult = { added: 0, updated: 0, unchanged: 0, deprecated: 0, errors: [] };
    const shipped = new Set<string>();
    const work = await mkdtemp(path.join(tmpdir(), 'pack-catalog-seed-'));
    try {
      for (const folder of await this.packFolders()) {
        const archivePath = path.join(work, `${path.basename(folder)}.tar.gz`);
        try {
          await createPackTarball(folder, archivePath);
          const outcome = await this.ingest.ingest({ registry, archivePath, publishedBy: 'pack-catalog', mode: 'seed' });
          shipped.add(`${outcome.name}@${outcome.version}`);
          result[outcome.status === 'created' ? 'added' : outcome.status]++;
        } catch (error) {
          // One broken shipped pack must not keep the rest out of the catalog.
          result.errors.push({ item: path.basename(folder), message: (error as Error).message });
        } finally {
          await rm(archivePath, { force: true });
        }
      }
      result.deprecated = await this.deprecateDropped(registry.id, shipped);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    const state = result.errors.length > 0 ? 'PARTIAL' : 'SUCCEEDED';
    const now = new Date();
    const message = `${shipped.size} pack versions from the built-in set${result.errors.length ? `, ${result.errors.length} refused` : ''}.`;
    await this.prisma.$transaction([
      this.prisma.syncRun.update({
        where: { id: run.id },
        data: {
          state,
          finishedAt: now,
          added: result.added,
          updated: result.updated,
          unchanged: result.unchanged,
          removed: result.deprecated,
          message,
          errors: { create: result.errors },
        },
      }),
      this.prisma.registry.update({
        where: { id: registry.id },
        data: { syncState: state, lastRunAt: now, lastSuccessAt: now, syncMessage: message },
      }),
    ]);
    this.logger.info({ ...result, errors: result.errors.length }, 'default registry seeded');
    for (const error of result.errors) this.logger.error(error, 'a built-in pack was refused');
    return result;
  }

  /** Pack folders: those holding a pack.json (folders starting with `_` are sources, not packs). */
  private async packFolders(): Promise<string[]> {
    const entries = await readdir(this.packsDir, { withFileTypes: true }).catch(() => []);
    const folders: string[] = [];
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || entry.name.startsWith('_') || entry.name.startsWith('.')) continue;
      const folder = path.join(this.packsDir, entry.name);
      if (await stat(path.join(folder, 'pack.json')).then(() => true, () => false)) folders.push(folder);
    }
    return folders;
  }

  private async deprecateDropped(registryId: string, shipped: Set<string>): Promise<number> {
    const versions = await this.prisma.packVersion.findMany({
      where: { registryId, deprecated: false },
      select: { id: true, version: true, packId: true, pack: { select: { name: true } } },
    });
    const dropped = versions.filter((v) => !shipped.has(`${v.pack.name}@${v.version}`));
    if (dropped.length === 0) return 0;
    await this.prisma.packVersion.updateMany({ where: { id: { in: dropped.map((v) => v.id) } }, data: { deprecated: true } });
    // A pack none of whose versions is shipped any more is deprecated as a whole.
    const packIds = [...new Set(dropped.map((v) => v.packId))];
    const stillShipped = await this.prisma.packVersion.groupBy({
      by: ['packId'],
      where: { packId: { in: packIds }, deprecated: false },
    });
    const keep = new Set(stillShipped.map((r) => r.packId));
    await this.prisma.pack.updateMany({ where: { id: { in: packIds.filter((id) => !keep.has(id)) } }, data: { deprecated: true } });
    return dropped.length;
  }
}
