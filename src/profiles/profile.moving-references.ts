/**
 * PROFILE_INVALIDATED for layers that name a version through a moving reference: `latest` (or an
 * empty reference) and parent tags (`1.31.x`, `1.x`). When a version is DEPRECATED or DISABLED it
 * stays live, so whatever such a reference resolved to before, it resolves to now: the profiles on
 * it are hit (validation warns on DEPRECATED and refuses DISABLED). Not on a delete: `latest` and
 * parent tags then move to another version.
 *
 * The rule is validation's (profile.resolution.ts): a layer with a registry resolves in that
 * registry's source of the pack, one without in each source by registry priority until one holds
 * the reference, and within a source by catalog/version-resolution.ts. It runs on what the write's
 * transaction sees (versions it just published count), over every registry: an event is not any
 * one reader's view. One statement for the batch, whatever the number of versions and profiles.
 */
import { sortSources } from '../catalog/catalog.model.js';
import { resolveAmongVersions, type ResolvableVersion, type SourceTag } from '../catalog/version-resolution.js';
import type { InvalidatedVersion, ProfileUse } from '../events/event.model.js';
import type { EventTx } from '../events/event.store.js';
import { isParentTag } from '../packs/version.js';

/** The lifecycle reasons: the version stays live, so moving references still land on it. */
const STILL_LIVE = new Set(['DEPRECATED', 'DISABLED']);

interface MovingLayer {
  profileId: string;
  name: string;
  version: string;
  layerIndex: number;
  ref: string;
  registry: string | null;
}

interface Source {
  registry: { name: string; priority: number };
  versions: ResolvableVersion[];
  tags: SourceTag[];
}

function isMoving(ref: string): boolean {
  return ref === 'latest' || ref === '' || isParentTag(ref);
}

/** The saved profile versions with a `latest` or parent-tag layer that resolves to one of `versions` (lifecycle reasons only). */
export async function profilesOnMovingReferences(tx: EventTx, versions: readonly InvalidatedVersion[]): Promise<ProfileUse[]> {
  const key = (registry: string, pack: string, version: string) => `${registry}\u0000${pack}\u0000${version}`;
  const invalidated = new Map<string, number[]>();
  versions.forEach((v, of) => {
    if (!STILL_LIVE.has(v.reason)) return;
    const k = key(v.registryName, v.pack, v.version);
    invalidated.set(k, [...(invalidated.get(k) ?? []), of]);
  });
  if (invalidated.size === 0) return [];
  const packs = [...new Set(versions.filter((v) => STILL_LIVE.has(v.reason)).map((v) => v.pack))];

  // Per pack name with such a layer: its layers, and every source with its versions (removed ones
  // too: an exact reference may name one) and tags. `LIKE '%.x'` narrows; isMoving decides below.
  const rows = await tx.$queryRaw<Array<{ pack: string; layers: MovingLayer[]; sources: Source[] }>>`
    WITH layer AS (
      SELECT p.id::text AS "profileId", p.name, p.version, l.position AS "layerIndex", l."packName" AS pack,
        btrim(l."versionRef") AS ref, NULLIF(btrim(l."registryName"), '') AS registry
      FROM "ProfileLayer" l JOIN "ClusterProfile" p ON p.id = l."profileId"
      WHERE l."packName" = ANY(${packs}::text[])
        AND (btrim(l."versionRef") IN ('latest', '') OR btrim(l."versionRef") LIKE '%.x')
    )
    SELECT n.pack,
      (SELECT json_agg(json_build_object('profileId', x."profileId", 'name', x.name, 'version', x.version,
         'layerIndex', x."layerIndex", 'ref', x.ref, 'registry', x.registry) ORDER BY x."profileId", x."layerIndex")
       FROM layer x WHERE x.pack = n.pack) AS layers,
      (SELECT coalesce(json_agg(json_build_object(
         'registry', json_build_object('name', r.name, 'priority', r.priority),
         'versions', (SELECT coalesce(json_agg(json_build_object('id', v.id, 'version', v.version, 'digest', v.digest, 'removedAt', v."removedAt")), '[]')
                      FROM "PackVersion" v WHERE v."packId" = s.id),
         'tags', (SELECT coalesce(json_agg(json_build_object('tag', t.tag, 'versionId', t."versionId")), '[]')
                  FROM "PackTag" t WHERE t."packId" = s.id))), '[]')
       FROM "Pack" s JOIN "Registry" r ON r.id = s."registryId" WHERE s.name = n.pack) AS sources
    FROM (SELECT DISTINCT pack FROM layer) n`;

  const uses: ProfileUse[] = [];
  for (const row of rows) {
    const sources = sortSources(row.sources);
    for (const layer of row.layers) {
      if (!isMoving(layer.ref)) continue;
      const candidates = layer.registry ? sources.filter((s) => s.registry.name === layer.registry) : sources;
      for (const source of candidates) {
        const found = resolveAmongVersions(source.versions, layer.ref, source.tags);
        if (!found) continue;
        for (const of of invalidated.get(key(source.registry.name, row.pack, found.version)) ?? []) {
          uses.push({ profileId: layer.profileId, name: layer.name, version: layer.version, of, layerIndex: layer.layerIndex });
        }
        break;
      }
    }
  }
  return uses;
}
