/**
 * A version reference resolved among the versions of one pack source: the one rule shared by
 * validation, pulls and the catalog (PackQueryService.resolveInPack, through the request's loaders)
 * and by PROFILE_INVALIDATED (applied to what a write's own transaction sees, profiles/
 * profile.moving-references.ts). Lifecycle plays no part: a DEPRECATED or DISABLED version is still
 * what `latest` or `1.x` names.
 */
import { resolveVersionReference } from '../packs/version.js';

/** What resolution reads of a version. `removedAt` may come as a string from JSON: only null or not matters. */
export interface ResolvableVersion {
  id: string;
  version: string;
  digest: string;
  removedAt: Date | string | null;
}

/** A publisher tag of the source. */
export interface SourceTag {
  tag: string;
  versionId: string;
}

/** Whether the source's tags can matter: not for a digest, nor for a version named exactly (callers skip loading them). */
export function needsTags(versions: readonly ResolvableVersion[], reference: string): boolean {
  return !reference.startsWith('sha256:') && !versions.some((v) => v.version === reference);
}

/**
 * `reference` (a `sha256:` digest, an exact version, a publisher tag, a parent tag or `latest`)
 * among `versions`: an exact version resolves even when removed upstream (pulls keep working), the
 * rest only among live ones. `tags` may be empty when `needsTags` says so.
 */
export function resolveAmongVersions<V extends ResolvableVersion>(versions: readonly V[], reference: string, tags: readonly SourceTag[]): V | null {
  if (reference.startsWith('sha256:')) return versions.find((v) => v.digest === reference) ?? null;
  const exact = versions.find((v) => v.version === reference);
  if (exact) return exact;
  const live = versions.filter((v) => v.removedAt === null);
  const tagged = new Map(tags.map((t) => [t.tag, live.find((v) => v.id === t.versionId)?.version ?? '']));
  const version = resolveVersionReference(reference, live.map((v) => v.version), tagged);
  return version === null ? null : (live.find((v) => v.version === version) ?? null);
}
