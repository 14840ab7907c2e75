/** Prisma I/O of cluster profiles: a profile row, its ordered layers and its variables, written together. */
import type { Db } from '../platform/database.js';
import type { EventTx, ProfileUsageReader } from '../events/event.store.js';
import type { InvalidatedVersion, ProfileUse } from '../events/event.model.js';
import type { ProfileType } from '../generated/prisma/enums.js';
import { profilesOnMovingReferences } from './profile.moving-references.js';

/** One stored layer: the pack reference as the author wrote it (a tag stays a tag). */
export interface StoredProfileLayer {
  position: number;
  packName: string;
  versionRef: string;
  registryName: string | null;
  /** null: the pack's own values.yaml. */
  values: string | null;
  /** YAML deep-merged onto the pack's values.yaml; null (or absent, in code older than the column): none. */
  valuesOverride?: string | null;
  /** Empty: no explicit selection (the values' enabled-presets comment decides). */
  presets: string[];
}

export interface StoredProfileVariable {
  position: number;
  name: string;
  displayName: string | null;
  description: string | null;
  format: string;
  defaultValue: string | null;
  required: boolean;
  regex: string | null;
  options: string[];
  hidden: boolean;
  readonly: boolean;
}

export interface StoredProfile {
  id: string;
  name: string;
  version: string;
  type: ProfileType;
  cloudType: string;
  description: string | null;
  createdBy: string | null;
  /** Who may change it besides ADMINs (see `canChangeProfile`); null for profiles older than owners. */
  owner: string | null;
  createdAt: Date;
  updatedAt: Date;
  layers: StoredProfileLayer[];
  variables: StoredProfileVariable[];
}

/** What a create or an update writes: the whole profile, layers and variables replaced. */
export interface ProfileWrite {
  name: string;
  version: string;
  type: ProfileType;
  cloudType: string;
  description: string | null;
  layers: Array<Omit<StoredProfileLayer, 'position'>>;
  variables: Array<Omit<StoredProfileVariable, 'position'>>;
}

const INCLUDE = {
  layers: {
    orderBy: { position: 'asc' },
    select: { position: true, packName: true, versionRef: true, registryName: true, values: true, valuesOverride: true, presets: true },
  },
  variables: {
    orderBy: { position: 'asc' },
    select: {
      position: true,
      name: true,
      displayName: true,
      description: true,
      format: true,
      defaultValue: true,
      required: true,
      regex: true,
      options: true,
      hidden: true,
      readonly: true,
    },
  },
} as const;

/** Prisma's unique-constraint violation: another profile already holds this name and version. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'P2002';
}

function children(write: ProfileWrite) {
  return {
    layers: { createMany: { data: write.layers.map((layer, position) => ({ ...layer, position })) } },
    variables: { createMany: { data: write.variables.map((variable, position) => ({ ...variable, position })) } },
  };
}

export class ProfileRepository implements ProfileUsageReader {
  constructor(private readonly prisma: Db) {}

  /** Every version of every profile (or of one name), with layers and variables: three statements. */
  async list(name?: string | null): Promise<StoredProfile[]> {
    return this.prisma.clusterProfile.findMany({
      where: name ? { name } : {},
      include: INCLUDE,
      orderBy: [{ name: 'asc' }, { createdAt: 'asc' }],
    });
  }

  /** Every version (or those of one name), just its id, name and version: what a page is cut from. */
  keys(name?: string | null): Promise<Array<{ id: string; name: string; version: string }>> {
    return this.prisma.clusterProfile.findMany({ where: name ? { name } : {}, select: { id: true, name: true, version: true } });
  }

  /** These versions with layers and variables, in no particular order. */
  findByIds(ids: readonly string[]): Promise<StoredProfile[]> {
    return this.prisma.clusterProfile.findMany({ where: { id: { in: [...ids] } }, include: INCLUDE });
  }

  /**
   * The saved profile versions with a layer on one of `versions` (PROFILE_INVALIDATED, in the
   * caller's transaction), one use per profile and version (its first such layer):
   * - a layer naming the pack by that exact version or one of its publisher tags, in its registry or
   *   in no registry in particular (one statement);
   * - for a version DEPRECATED or DISABLED (it stays live), a layer on `latest` or a parent tag that
   *   resolves to it as validation resolves it (profile.moving-references.ts, one statement more).
   *   Not on a delete: `latest` and parent tags then move to another version, and `packImpact`
   *   answers who they land on.
   */
  async profilesUsing(tx: EventTx, versions: readonly InvalidatedVersion[]): Promise<ProfileUse[]> {
    if (versions.length === 0) return [];
    const refs = versions.flatMap((v, of) => [v.version, ...v.tags].map((ref) => ({ of, pack: v.pack, ref, registry: v.registryName })));
    const named = await tx.$queryRaw<ProfileUse[]>`
      SELECT DISTINCT ON (p.id, r.of) p.id::text AS "profileId", p.name, p.version, r.of, l.position AS "layerIndex"
      FROM unnest(${refs.map((r) => r.of)}::int[], ${refs.map((r) => r.pack)}::text[], ${refs.map((r) => r.ref)}::text[], ${refs.map((r) => r.registry)}::text[])
        AS r(of, pack, ref, registry)
      JOIN "ProfileLayer" l ON l."packName" = r.pack AND l."versionRef" = r.ref AND (l."registryName" IS NULL OR l."registryName" = r.registry)
      JOIN "ClusterProfile" p ON p.id = l."profileId"
      ORDER BY p.id, r.of, l.position`;
    const moving = await profilesOnMovingReferences(tx, versions);
    // A profile on the version through both kinds of layer is hit once, at its first such layer.
    const first = new Map<string, ProfileUse>();
    for (const use of [...named, ...moving]) {
      const key = `${use.profileId}\u0000${use.of}`;
      const seen = first.get(key);
      if (!seen || use.layerIndex < seen.layerIndex) first.set(key, use);
    }
    return [...first.values()].sort((a, b) => (a.profileId < b.profileId ? -1 : a.profileId > b.profileId ? 1 : a.of - b.of));
  }

  /** Every version of every profile with a layer of pack `packName` (whatever its version reference), with layers and variables. */
  usingPack(packName: string): Promise<StoredProfile[]> {
    return this.prisma.clusterProfile.findMany({ where: { layers: { some: { packName } } }, include: INCLUDE });
  }

  async find(name: string, version: string): Promise<StoredProfile | null> {
    return this.prisma.clusterProfile.findUnique({ where: { name_version: { name, version } }, include: INCLUDE });
  }

  /** The version strings stored under one name (to pick the newest without loading every layer). */
  async versionsOf(name: string): Promise<string[]> {
    const rows = await this.prisma.clusterProfile.findMany({ where: { name }, select: { version: true } });
    return rows.map((r) => r.version);
  }

  /** One statement group Prisma runs as a transaction: the row and all its children, or nothing. */
  async create(write: ProfileWrite, createdBy: string, owner: string): Promise<StoredProfile> {
    const { layers: _layers, variables: _variables, ...profile } = write;
    return this.prisma.clusterProfile.create({ data: { ...profile, createdBy, owner, ...children(write) }, include: INCLUDE });
  }

  /** Replaces the profile's fields, layers and variables in one transaction (a reader never sees half of it). */
  async replace(id: string, write: ProfileWrite): Promise<StoredProfile> {
    const { layers: _layers, variables: _variables, ...profile } = write;
    return this.prisma.$transaction(async (tx) => {
      await tx.profileLayer.deleteMany({ where: { profileId: id } });
      await tx.profileVariable.deleteMany({ where: { profileId: id } });
      return tx.clusterProfile.update({ where: { id }, data: { ...profile, ...children(write) }, include: INCLUDE });
    });
  }

  /** Layers and variables go with the row (ON DELETE CASCADE). False when the row is already gone. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.clusterProfile.deleteMany({ where: { id } });
    return count > 0;
  }
}
