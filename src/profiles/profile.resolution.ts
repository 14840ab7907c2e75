/**
 * Layer references resolved through the catalog's per-request loaders: pack name, registry and
 * version reference -> the pack version and what validation reads of it.
 *
 * Resolution costs a constant number of SQL statements whatever the number of layers: every pack
 * name in one loader batch, then the versions and the tags of every candidate pack in one batch
 * each, then the chosen versions' details (values, presets, schema, pack.json) in one batch.
 */
import type { CatalogLoaders, VersionDetails } from '../catalog/catalog.loaders.js';
import type { PackRow, VersionRow } from '../catalog/catalog.model.js';
import type { PackQueryService } from '../catalog/pack.query.service.js';
import { manifestOf } from '../catalog/pack.store.columns.js';
import type { PackPreset, PackValueSchema } from '../packs/pack.types.js';
import type { ProfileLayerDraft, ResolvedLayer, ResolvedPackLayer } from './profile.model.js';

/** A layer reference to resolve: pack name, version reference, optional registry. */
export type LayerReference = Pick<ProfileLayerDraft, 'pack' | 'version' | 'registry'>;

function unique<T>(items: Iterable<T>): T[] {
  return [...new Set(items)];
}

/** loadMany answers an Error per failed key; a failed batch is a failed request, not a missing pack. */
function settled<T>(results: Array<T | Error>): T[] {
  for (const r of results) if (r instanceof Error) throw r;
  return results as T[];
}

function resolvedPackLayer(pack: PackRow, row: VersionRow, details: VersionDetails): ResolvedPackLayer {
  return {
    status: 'OK',
    registry: pack.registry.name,
    version: row.version,
    digest: row.digest,
    manifest: manifestOf(pack, row, details),
    defaultValues: details.values,
    presets: Array.isArray(details.presets) ? (details.presets as PackPreset[]) : null,
    schema: details.schema && typeof details.schema === 'object' ? (details.schema as PackValueSchema) : null,
  };
}

/**
 * Resolve each reference: in its registry when given, else in the pack's sources by registry
 * priority until one holds the version (exact, tag, parent tag or `latest`). `result[i]` belongs
 * to `references[i]`. Four loader batches whatever the number of references.
 */
export async function resolveLayers(
  packQueries: PackQueryService,
  loaders: CatalogLoaders,
  references: readonly LayerReference[],
): Promise<ResolvedLayer[]> {
  const names = unique(references.map((r) => r.pack.trim()));
  const sources = new Map<string, PackRow[]>();
  settled(await loaders.packRowsByName.loadMany(names)).forEach((rows, i) => sources.set(names[i], rows));
  const candidates = references.map((r) => {
    const rows = sources.get(r.pack.trim()) ?? [];
    const registry = r.registry?.trim();
    return registry ? rows.filter((row) => row.registry.name === registry) : rows;
  });

  // Prime both loaders for every candidate pack at once; resolveInPack then reads them from memory.
  const packIds = unique(candidates.flat().map((p) => p.id));
  const [versionLists] = await Promise.all([
    loaders.versionsByPackId.loadMany(packIds).then(settled),
    loaders.tagsByPackId.loadMany(packIds).then(settled),
  ]);
  const versionsOfPack = new Map(packIds.map((id, i) => [id, versionLists[i]]));

  const chosen = await Promise.all(
    references.map(async (r, i) => {
      for (const pack of candidates[i]) {
        const row = await packQueries.resolveInPack(loaders, pack, r.version.trim());
        if (row) return { pack, row };
      }
      return null;
    }),
  );
  const detailIds = unique(chosen.flatMap((c) => (c ? [c.row.id] : [])));
  const details = new Map<string, VersionDetails | null>();
  settled(await loaders.versionDetailsById.loadMany(detailIds)).forEach((d, i) => details.set(detailIds[i], d));

  return references.map((_, i): ResolvedLayer => {
    const found = chosen[i];
    const detail = found ? details.get(found.row.id) : null;
    if (found && detail) return resolvedPackLayer(found.pack, found.row, detail);
    if (candidates[i].length === 0) return { status: 'PACK_NOT_FOUND' };
    const live = candidates[i].flatMap((p) => (versionsOfPack.get(p.id) ?? []).filter((v) => v.removedAt === null).map((v) => v.version));
    return { status: 'VERSION_NOT_FOUND', availableVersions: unique(live) };
  });
}
