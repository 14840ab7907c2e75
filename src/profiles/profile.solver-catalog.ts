/**
 * The catalog as the solver reads it (solver/solver.model.ts SolverCatalog), loaded through the
 * same per-request loaders and resolution validation uses, in bulk: each round costs a constant
 * number of statements whatever the number of candidates (pack rows of every name at once, their
 * versions and tags at once, then every candidate version's details in one resolution batch, which
 * the resolution cache serves by digest), plus the charts' `kubeVersion` of versions not seen before
 * (read once per digest). A round adds the packs the previous round's candidates require; a few
 * rounds reach every pack a request can need.
 */
import type { Principal } from '../auth/principal.js';
import type { CatalogLoaders } from '../catalog/catalog.loaders.js';
import type { PackRow } from '../catalog/catalog.model.js';
import { packCursor, type PackQueryService } from '../catalog/pack.query.service.js';
import type { Layer } from '../generated/prisma/enums.js';
import type { PackLayer } from '../packs/pack.types.js';
import type { ResolvedLayer } from './profile.model.js';
import type { LayerReference } from './profile.resolution.js';
import { candidateOf, kubeVersionOf } from './solver/candidate.js';
import { memoryCatalog } from './solver/memory-catalog.js';
import type { CandidateVersion, SolverCatalog } from './solver/solver.model.js';

/** Rounds of required packs followed (a chain of `required` dependencies deeper than this is cut). */
const MAX_ROUNDS = 4;
/** Pack names of one slot layer read at most (pages of the listing). */
const MAX_PAGES = 10;
const PAGE_SIZE = 100;

export interface SolverCatalogSource {
  packQueries: PackQueryService;
  resolve(loaders: CatalogLoaders, references: readonly LayerReference[], actor: Principal): Promise<ResolvedLayer[]>;
  /** The `kubeVersion` of the charts of these versions (by digest), for those whose pack.json states none (profile.chart-kube-versions.ts). */
  chartKubeVersions?(digests: readonly string[]): Promise<Map<string, string | null>>;
}

/** Every readable pack name of these layers (the listing, deprecated packs included: the order puts them last). */
async function packNamesOfLayers(source: SolverCatalogSource, actor: Principal, loaders: CatalogLoaders, layers: readonly PackLayer[]): Promise<string[]> {
  const names: string[] = [];
  for (const layer of layers) {
    let after: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const found = await source.packQueries.listPacks(actor, { layer: [layer.toUpperCase() as Layer], includeDeprecated: true }, PAGE_SIZE, after, loaders);
      names.push(...found.names);
      if (!found.hasNextPage || found.names.length === 0) break;
      after = packCursor(found.names[found.names.length - 1]);
    }
  }
  return names;
}

export async function loadSolverCatalog(
  source: SolverCatalogSource,
  actor: Principal,
  loaders: CatalogLoaders,
  packs: readonly string[],
  slotLayers: readonly PackLayer[],
): Promise<SolverCatalog> {
  const candidates: CandidateVersion[] = [];
  const loaded = new Set<string>();
  let pending = [...new Set([...packs, ...(await packNamesOfLayers(source, actor, loaders, slotLayers))])];
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round++) {
    pending.forEach((n) => loaded.add(n));
    const rows = (await loaders.packRowsByName.loadMany(pending)).flatMap((r) => (r instanceof Error ? [] : r));
    const ids = rows.map((r) => r.id);
    const [versionLists, tagLists] = await Promise.all([loaders.trustedVersionsByPackId.loadMany(ids), loaders.tagsByPackId.loadMany(ids)]);
    const references: Array<LayerReference & { row: PackRow; tags: string[] }> = [];
    rows.forEach((row, i) => {
      const versions = versionLists[i];
      const tags = tagLists[i];
      if (versions instanceof Error) throw versions;
      if (tags instanceof Error) throw tags;
      for (const v of versions) {
        if (v.removedAt !== null) continue;
        const own = tags.filter((t) => t.versionId === v.id).map((t) => t.tag);
        references.push({ pack: row.name, version: v.version, registry: row.registry.name, row, tags: own });
      }
    });
    const resolved = await source.resolve(loaders, references, actor);
    const charted = resolved.flatMap((r) => (r.status === 'OK' && r.manifest.charts.length > 0 && kubeVersionOf(r.manifest) === null ? [r.digest] : []));
    const fromCharts = source.chartKubeVersions && charted.length > 0 ? await source.chartKubeVersions(charted) : new Map<string, string | null>();
    const next = new Set<string>();
    resolved.forEach((r, i) => {
      if (r.status !== 'OK') return;
      const { row, tags } = references[i];
      const { manifest } = r;
      const candidate = candidateOf(manifest, { version: r.version, registry: r.registry, registryPriority: row.registry.priority, tags });
      candidates.push({ ...candidate, kubeVersion: candidate.kubeVersion ?? fromCharts.get(r.digest) ?? null });
      for (const dep of manifest.constraints.dependencies) if (dep.type === 'required' && !loaded.has(dep.packName)) next.add(dep.packName);
    });
    pending = [...next].sort();
  }
  return memoryCatalog(candidates);
}
