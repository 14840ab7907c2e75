/**
 * What layer resolution reads from the catalog, kept between requests (profile.resolution.ts):
 *
 * - Version details (values, presets, schema, pack.json columns) by version id and digest. A
 *   version row's details are written from the archive its digest names, so for one id and digest
 *   they never change: a bounded LRU with no expiry.
 * - A pack name's sources as one read scope sees them (the readable pack rows, their versions with
 *   each one's signature state, and tags). These change with catalog writes, so an entry holds the catalog generation it was read
 *   at (src/catalog/catalog.changes.ts: every write on any replica moves it) and serves only at
 *   that generation, and only while the process hears every write (`coherent`); otherwise nothing
 *   is cached and resolution reads the database as before.
 *
 * Cached objects are deeply frozen (shared by concurrent requests); lists are handed out as copies,
 * since request code may sort what a loader answers.
 */
import { LRUCache } from 'lru-cache';
import { registryReadScope, type Principal } from '../auth/principal.js';
import type { VersionDetails } from '../catalog/catalog.loaders.js';
import type { PackRow, TrustedVersionRow, VersionRow } from '../catalog/catalog.model.js';
import { deepFreeze } from './rules/pack-facts.js';

/** The part of CatalogChanges a cache reads. */
export interface CatalogGeneration {
  readonly generation: number;
  readonly coherent: boolean;
}

/** What validation reads of a version's details (readme left out: resolution never reads it). */
export type ResolutionDetails = Omit<VersionDetails, 'readme'>;

export type PackTagRow = { tag: string; versionId: string };

/**
 * One pack name's sources under one read scope, with each source's versions (and their signature
 * state, which a signature push or a trust policy change moves: both are catalog changes) and tags.
 */
export interface CachedSources {
  rows: readonly PackRow[];
  versions: ReadonlyMap<string, readonly TrustedVersionRow[]>;
  tags: ReadonlyMap<string, readonly PackTagRow[]>;
}

const MAX_DETAILS = 4096;
/** Details by size: the values, schema and pack.json text they hold, in characters. */
const MAX_DETAILS_CHARS = 32 * 1024 * 1024;
const MAX_SOURCES = 4096;
/** Sources by size: pack, version and tag rows held (a Helm pack may have thousands of versions). */
const MAX_SOURCE_ROWS = 100_000;

function sourcesSize(sources: CachedSources): number {
  let rows = sources.rows.length;
  for (const list of sources.versions.values()) rows += list.length;
  for (const list of sources.tags.values()) rows += list.length;
  return Math.max(1, rows);
}

function detailsSize(details: ResolutionDetails): number {
  return Math.max(1, details.values.length + JSON.stringify([details.presets, details.schema, details.packJson, details.constraints, details.annotations]).length);
}

export class LayerResolutionCache {
  private readonly details = new LRUCache<string, ResolutionDetails>({
    max: MAX_DETAILS,
    maxSize: MAX_DETAILS_CHARS,
    sizeCalculation: detailsSize,
  });
  private readonly sources = new LRUCache<string, { generation: number; sources: CachedSources }>({
    max: MAX_SOURCES,
    maxSize: MAX_SOURCE_ROWS,
    sizeCalculation: ({ sources }) => sourcesSize(sources),
  });

  /** `changes` null: only the immutable details are cached. */
  constructor(private readonly changes: CatalogGeneration | null) {}

  /** The generation reads made now may be cached under, or null when the catalog cache must not serve. */
  generation(): number | null {
    return this.changes?.coherent ? this.changes.generation : null;
  }

  detailsOf(row: Pick<VersionRow, 'id' | 'digest'>): ResolutionDetails | undefined {
    return this.details.get(`${row.id}:${row.digest}`);
  }

  /** Keeps what resolution reads of fetched details; answers the frozen copy. */
  keepDetails(row: Pick<VersionRow, 'id' | 'digest'>, details: VersionDetails): ResolutionDetails {
    const { values, presets, schema, packJson, constraints, annotations } = details;
    const kept = deepFreeze(structuredCloneJson({ values, presets, schema, packJson, constraints, annotations }));
    if (detailsSize(kept) <= MAX_DETAILS_CHARS / 64) this.details.set(`${row.id}:${row.digest}`, kept);
    return kept;
  }

  /** A name's sources for this caller's read scope, when read at `generation` (null: none). */
  sourcesOf(principal: Principal, name: string, generation: number | null): CachedSources | undefined {
    if (generation === null) return undefined;
    const hit = this.sources.get(sourcesKey(principal, name));
    return hit && hit.generation === generation ? hit.sources : undefined;
  }

  /** Keeps a name's sources as read at `generation` (taken before the reads: a write meanwhile makes the entry stale at once). */
  keepSources(principal: Principal, name: string, generation: number | null, sources: CachedSources): void {
    if (generation === null) return;
    const frozen: CachedSources = {
      rows: deepFreeze([...sources.rows]),
      versions: new Map([...sources.versions].map(([id, list]) => [id, deepFreeze([...list])])),
      tags: new Map([...sources.tags].map(([id, list]) => [id, deepFreeze([...list])])),
    };
    const entry = { generation, sources: frozen };
    // A name with more rows than a tenth of the bound is read each time rather than evicting everything else.
    if (sourcesSize(frozen) <= MAX_SOURCE_ROWS / 10) this.sources.set(sourcesKey(principal, name), entry);
  }
}

/** A read scope decides which pack rows the store answers: ADMIN all, others PUBLIC plus the registries their token names. */
function sourcesKey(principal: Principal, name: string): string {
  const scope = registryReadScope(principal);
  return JSON.stringify([scope.all ? '*' : [...scope.named].sort(), name]);
}

/** Details columns are JSON (and a string): a JSON round trip copies them without sharing the loader's objects. */
function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
