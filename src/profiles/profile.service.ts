/**
 * Cluster profiles: who may do what (permissions), validation of drafts against today's catalog
 * (layers resolved by profile.resolution.ts, then the pure rules/), upgrade plans between stored
 * versions (rules/upgrade-plan.ts), and storage through ProfileRepository. Input bounds and the
 * refusal shape are in profile.input.ts; the mapping between shapes in profile.mapping.ts.
 */
import { ConflictError, NotFoundError } from '../errors.js';
import { assertCanChangeProfile, assertCanRead, assertRole, profileOwnerOf, type AccessPolicy, type Principal } from '../auth/principal.js';
import type { CatalogLoaders } from '../catalog/catalog.loaders.js';
import type { PackQueryService } from '../catalog/pack.query.service.js';
import { compareVersions, sortVersionsDescending } from '../packs/version.js';
import { checkProfileInput, DEFAULT_PROFILE_VERSION, refusalOf, type ProfileInputData } from './profile.input.js';
import { draftOf, writeOf } from './profile.mapping.js';
import type { ProfileDraft, ProfileValidationResult, ResolvedLayer } from './profile.model.js';
import { isUniqueViolation, type ProfileRepository, type StoredProfile } from './profile.repository.js';
import type { LayerResolutionCache } from './profile.resolution-cache.js';
import { resolveLayers, type LayerReference } from './profile.resolution.js';
import { validateProfileDraft } from './rules/index.js';
import { planDraftUpgrade, type ProfileUpgradePlan } from './rules/upgrade-plan.js';

/** A profile just saved, with the validation it passed (its warnings go back to the client). */
export interface SavedProfile {
  profile: StoredProfile;
  validation: ProfileValidationResult;
}

export interface ProfileUpgradeResult {
  from: StoredProfile;
  to: StoredProfile;
  plan: ProfileUpgradePlan;
}

/** A profile version as a listing orders it: by name, then newest version first. */
export interface ProfileKey {
  id: string;
  name: string;
  version: string;
}

export function compareProfileKeys(a: Pick<ProfileKey, 'name' | 'version'>, b: Pick<ProfileKey, 'name' | 'version'>): number {
  return (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || compareVersions(b.version, a.version);
}

export class ProfileService {
  constructor(
    private readonly repository: ProfileRepository,
    private readonly packQueries: PackQueryService,
    private readonly policy: AccessPolicy,
    /** What resolution keeps between requests (immutable version details; catalog reads at a generation). */
    private readonly resolutionCache?: LayerResolutionCache,
  ) {}

  /** Every issue of a draft against today's catalog. Saves nothing. */
  async validate(actor: Principal, loaders: CatalogLoaders, input: ProfileInputData): Promise<ProfileValidationResult> {
    assertCanRead(actor, this.policy);
    checkProfileInput(input);
    return this.validateDraft(actor, loaders, input);
  }

  /** A stored profile validated against today's catalog (packs may have gone or changed since it was saved). */
  async validateStored(actor: Principal, loaders: CatalogLoaders, profile: StoredProfile): Promise<ProfileValidationResult> {
    assertCanRead(actor, this.policy);
    return this.validateDraft(actor, loaders, draftOf(profile));
  }

  /** Every profile version (or those of one name): by name, then newest version first. */
  async list(actor: Principal, name?: string | null): Promise<StoredProfile[]> {
    assertCanRead(actor, this.policy);
    const rows = await this.repository.list(name);
    const byName = new Map<string, StoredProfile[]>();
    for (const row of rows) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
    return [...byName.keys()].sort().flatMap((n) => sortVersionsDescending(byName.get(n)!, (p) => p.version));
  }

  /** What `list` lists, light (id, name, version) and in its order: a connection cuts its page from it. */
  async listKeys(actor: Principal, name?: string | null): Promise<ProfileKey[]> {
    assertCanRead(actor, this.policy);
    const keys = await this.repository.keys(name);
    return keys.sort((a, b) => compareProfileKeys(a, b));
  }

  /** These versions in the order of `ids` (one gone since is left out). */
  async findByIds(actor: Principal, ids: readonly string[]): Promise<StoredProfile[]> {
    assertCanRead(actor, this.policy);
    if (ids.length === 0) return [];
    const byId = new Map((await this.repository.findByIds(ids)).map((p) => [p.id, p]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** One version by id (`node(id:)`), with the rule of `find`. */
  async findById(actor: Principal, id: string): Promise<StoredProfile | null> {
    const [found] = await this.findByIds(actor, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? [id] : []);
    return found ?? null;
  }

  /** One version, or the newest (semver order) when `version` is omitted; null when there is none. */
  async find(actor: Principal, name: string, version?: string | null): Promise<StoredProfile | null> {
    assertCanRead(actor, this.policy);
    if (version) return this.repository.find(name, version);
    const [newest] = sortVersionsDescending(await this.repository.versionsOf(name), (v) => v);
    return newest === undefined ? null : this.repository.find(name, newest);
  }

  /**
   * Validates, then stores; refuses on any ERROR with the full issue list. PUBLISHER. The profile
   * belongs to the caller's team (or token name): see `canChangeProfile` for who may change it.
   */
  async create(actor: Principal, loaders: CatalogLoaders, input: ProfileInputData): Promise<SavedProfile> {
    assertRole(actor, 'PUBLISHER');
    checkProfileInput(input);
    const version = input.version?.trim() || DEFAULT_PROFILE_VERSION;
    const validation = await this.validateDraft(actor, loaders, { ...input, version });
    if (!validation.valid) throw refusalOf(input, version, validation);
    if (await this.repository.find(input.name, version)) throw this.conflict(input.name, version);
    try {
      return { profile: await this.repository.create(writeOf(input, version), actor.name, profileOwnerOf(actor)), validation };
    } catch (error) {
      if (isUniqueViolation(error)) throw this.conflict(input.name, version);
      throw error;
    }
  }

  /**
   * Replaces profile `name`@`version` with `input` (validated like a new one). The input may rename it
   * or give it another version; an omitted version keeps the current one. ADMIN, or a PUBLISHER of
   * the owning team; the owner stays.
   */
  async update(actor: Principal, loaders: CatalogLoaders, name: string, version: string, input: ProfileInputData): Promise<SavedProfile> {
    assertRole(actor, 'PUBLISHER');
    checkProfileInput(input);
    const existing = await this.repository.find(name, version);
    if (!existing) throw new NotFoundError(`Profile "${name}" ${version} does not exist.`);
    assertCanChangeProfile(actor, existing);
    const target = input.version?.trim() || version;
    const validation = await this.validateDraft(actor, loaders, { ...input, version: target });
    if (!validation.valid) throw refusalOf(input, target, validation);
    if ((input.name !== name || target !== version) && (await this.repository.find(input.name, target))) {
      throw this.conflict(input.name, target);
    }
    try {
      return { profile: await this.repository.replace(existing.id, writeOf(input, target)), validation };
    } catch (error) {
      if (isUniqueViolation(error)) throw this.conflict(input.name, target);
      throw error;
    }
  }

  /** ADMIN, or a PUBLISHER of the owning team. NOT_FOUND when there is no such version. */
  async delete(actor: Principal, name: string, version: string): Promise<boolean> {
    assertRole(actor, 'PUBLISHER');
    const existing = await this.repository.find(name, version);
    if (!existing) throw new NotFoundError(`Profile "${name}" ${version} does not exist.`);
    assertCanChangeProfile(actor, existing);
    if (!(await this.repository.delete(existing.id))) throw new NotFoundError(`Profile "${name}" ${version} does not exist.`);
    return true;
  }


  /**
   * What changes from one version of a profile to another, and which version changes an `upgrade`
   * constraint of the target pack forbids. Both sides are resolved against today's catalog in one
   * batch. Null when either version doesn't exist.
   */
  async upgradePlan(
    actor: Principal,
    loaders: CatalogLoaders,
    name: string,
    fromVersion: string,
    toVersion: string,
  ): Promise<ProfileUpgradeResult | null> {
    assertCanRead(actor, this.policy);
    const [from, to] = await Promise.all([this.repository.find(name, fromVersion), this.repository.find(name, toVersion)]);
    if (!from || !to) return null;
    const fromDraft = draftOf(from);
    const toDraft = draftOf(to);
    const resolved = await this.resolveLayers(loaders, [...fromDraft.layers, ...toDraft.layers], actor);
    const plan = planDraftUpgrade({ version: fromVersion, draft: fromDraft }, { version: toVersion, draft: toDraft }, resolved);
    return { from, to, plan };
  }

  /**
   * Each reference resolved through the catalog (see profile.resolution.ts); `result[i]` belongs to
   * `references[i]`. `actor` is the caller `loaders` answer for: given, catalog reads are cached for
   * its read scope (without it, only immutable version details are).
   */
  async resolveLayers(loaders: CatalogLoaders, references: readonly LayerReference[], actor?: Principal): Promise<ResolvedLayer[]> {
    return resolveLayers(this.packQueries, { loaders, cache: this.resolutionCache, principal: actor }, references);
  }

  private async validateDraft(actor: Principal, loaders: CatalogLoaders, draft: ProfileDraft): Promise<ProfileValidationResult> {
    return validateProfileDraft(draft, await this.resolveLayers(loaders, draft.layers, actor));
  }

  private conflict(name: string, version: string): ConflictError {
    return new ConflictError(`Profile "${name}" ${version} already exists: choose another version, or update it.`);
  }
}
