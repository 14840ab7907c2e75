/**
 * Layer references resolved through the catalog's per-request loaders: pack name, registry and
 * version reference -> the pack version and what validation reads of it.
 *
 * Resolution costs a constant number of SQL statements whatever the number of layers: every pack
 * name in one loader batch, then the versions and the tags of every candidate pack in one batch
 * each, then the chosen versions' details (values, presets, schema, pack.json) in one batch. With a
 * LayerResolutionCache (profile.resolution-cache.ts), details already seen cost nothing, and while
 * the catalog generation holds, neither do the names, versions and tags seen at it: a repeated
 * validation then sends no SQL at all.
 */
import type { Principal } from '../auth/principal.js';
import type { CatalogLoaders } from '../catalog/catalog.loaders.js';
import type { PackRow, TrustedVersionRow, VersionRow } from '../catalog/catalog.model.js';
import type { PackQueryService } from '../catalog/pack.query.service.js';
import { manifestOf } from '../catalog/pack.store.columns.js';
import { suggestNames } from '../packs/name-suggestions.js';
import type { PackPreset, PackValueSchema } from '../packs/pack.types.js';
import type { ProfileLayerDraft, ResolvedLayer, ResolvedPackLayer } from './profile.model.js';
import type { LayerResolutionCache, PackTagRow, ResolutionDetails } from './profile.resolution-cache.js';

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

function resolvedPackLayer(pack: PackRow, row: TrustedVersionRow, details: ResolutionDetails): ResolvedPackLayer {
  return {
    status: 'OK',
    registry: pack.registry.name,
    version: row.version,
    digest: row.digest,
    manifest: manifestOf(pack, row, details),
    defaultValues: details.values,
    presets: Array.isArray(details.presets) ? (details.presets as PackPreset[]) : null,
    schema: details.schema && typeof details.schema === 'object' ? (details.schema as PackValueSchema) : null,
    signature: { verified: row.trust.verified, enforce: row.trust.enforce },
  };
}

/** Where resolution reads through: the request's loaders, and optionally what earlier requests cached. */
export interface ResolutionSource {
  loaders: CatalogLoaders;
  cache?: LayerResolutionCache;
  /** The caller the loaders answer for (the cache is kept per read scope). */
  principal?: Principal;
}

/**
 * Resolve each reference: in its registry when given, else in the pack's sources by registry
 * priority until one holds the version (exact, tag, parent tag or `latest`). `result[i]` belongs
 * to `references[i]`. Four loader batches whatever the number of references, fewer when cached.
 */
export async function resolveLayers(
  packQueries: PackQueryService,
  source: ResolutionSource,
  references: readonly LayerReference[],
): Promise<ResolvedLayer[]> {
  const { loaders, cache, principal } = source;
  const catalogCache = cache && principal ? cache : undefined;
  // Taken before any read: a write while we read moves the generation, so what we keep is stale at once.
  const generation = catalogCache ? catalogCache.generation() : null;
  const names = unique(references.map((r) => r.pack.trim()));
  const fresh: string[] = [];
  for (const name of names) {
    const hit = catalogCache?.sourcesOf(principal!, name, generation);
    if (!hit) {
      fresh.push(name);
      continue;
    }
    // Copies: request code may sort what a loader answers.
    loaders.packRowsByName.prime(name, [...hit.rows]);
    for (const row of hit.rows) {
      loaders.trustedVersionsByPackId.prime(row.id, [...(hit.versions.get(row.id) ?? [])]);
      loaders.tagsByPackId.prime(row.id, [...(hit.tags.get(row.id) ?? [])]);
    }
  }

  const sources = new Map<string, PackRow[]>();
  settled(await loaders.packRowsByName.loadMany(names)).forEach((rows, i) => sources.set(names[i], rows));
  const candidates = references.map((r) => {
    const rows = sources.get(r.pack.trim()) ?? [];
    const registry = r.registry?.trim();
    return registry ? rows.filter((row) => row.registry.name === registry) : rows;
  });

  // Prime both loaders for every candidate pack at once; resolveInPack then reads them from memory.
  // Versions come with their signature state, in the same statement (trustedVersionsByPackId).
  const packIds = unique(candidates.flat().map((p) => p.id));
  const [versionLists, tagLists] = await Promise.all([
    loaders.trustedVersionsByPackId.loadMany(packIds).then(settled),
    loaders.tagsByPackId.loadMany(packIds).then(settled),
  ]);
  const versionsOfPack = new Map(packIds.map((id, i) => [id, versionLists[i]]));
  // resolveInPack reads versionsByPackId: these rows replace any this request loaded, so the chosen row carries its state.
  for (const [id, list] of versionsOfPack) loaders.versionsByPackId.clear(id).prime(id, list);
  const trustOf = new Map<string, TrustedVersionRow>(versionLists.flat().map((v) => [v.id, v]));
  if (catalogCache) {
    const tagsOfPack = new Map<string, PackTagRow[]>(packIds.map((id, i) => [id, tagLists[i]]));
    for (const name of fresh) {
      const rows = sources.get(name) ?? [];
      const only = <T>(of: Map<string, T>) => new Map(rows.map((row) => [row.id, of.get(row.id)!] as const).filter(([, v]) => v !== undefined));
      // Every source of the name is a candidate of some reference to it unless a registry narrowed it: keep complete entries only.
      if (rows.every((row) => versionsOfPack.has(row.id))) {
        catalogCache.keepSources(principal!, name, generation, { rows, versions: only(versionsOfPack), tags: only(tagsOfPack) });
      }
    }
  }

  const chosen = await Promise.all(
    references.map(async (r, i) => {
      for (const pack of candidates[i]) {
        const found = await packQueries.resolveInPack(loaders, pack, r.version.trim());
        const row = found && trustOf.get(found.id);
        if (row) return { pack, row };
      }
      return null;
    }),
  );
  const details = new Map<string, ResolutionDetails | null>();
  const missing: VersionRow[] = [];
  for (const c of chosen) {
    if (!c || details.has(c.row.id)) continue;
    const hit = cache?.detailsOf(c.row);
    if (hit) details.set(c.row.id, hit);
    else if (!missing.some((m) => m.id === c.row.id)) missing.push(c.row);
  }
  settled(await loaders.versionDetailsById.loadMany(missing.map((m) => m.id))).forEach((d, i) => {
    details.set(missing[i].id, d && cache ? cache.keepDetails(missing[i], d) : d);
  });

  // Only a name the caller may not find costs a statement more: every readable name, for "did you mean".
  const unknown = unique(references.filter((r) => (sources.get(r.pack.trim()) ?? []).length === 0).map((r) => r.pack.trim()));
  const suggestions = new Map<string, string[]>();
  if (unknown.length > 0 && principal) {
    const known = await packQueries.packNames(principal);
    for (const name of unknown) suggestions.set(name, suggestNames(name, known));
  }

  return references.map((r, i): ResolvedLayer => {
    const found = chosen[i];
    const detail = found ? details.get(found.row.id) : null;
    if (found && detail) return resolvedPackLayer(found.pack, found.row, detail);
    if (candidates[i].length === 0) {
      const close = suggestions.get(r.pack.trim());
      return close ? { status: 'PACK_NOT_FOUND', suggestions: close } : { status: 'PACK_NOT_FOUND' };
    }
    const live = candidates[i].flatMap((p) => (versionsOfPack.get(p.id) ?? []).filter((v) => v.removedAt === null).map((v) => v.version));
    return { status: 'VERSION_NOT_FOUND', availableVersions: unique(live) };
  });
}
