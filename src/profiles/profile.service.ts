/**
 * Cluster profiles: who may do what (permissions), validation of drafts against today's catalog
 * (layers resolved by profile.resolution.ts, then the pure rules/), upgrade plans between stored
 * versions (rules/upgrade-plan.ts), and storage through ProfileRepository. Input bounds and the
 * refusal shape are in profile.input.ts; the mapping between shapes in profile.mapping.ts.
 */
import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { assertCanChangeProfile, assertCanRead, assertRole, profileOwnerOf, type AccessPolicy, type Principal } from '../auth/principal.js';
import type { CatalogLoaders } from '../catalog/catalog.loaders.js';
import type { PackQueryService } from '../catalog/pack.query.service.js';
import { compareVersions, sortVersionsDescending } from '../packs/version.js';
import { checkProfileInput, DEFAULT_PROFILE_VERSION, PROFILE_LIMITS, refusalOf, type ProfileInputData } from './profile.input.js';
import { canonicalOfStored, firstContentDifference } from './profile.canonical.js';
import { draftOf, writeOf } from './profile.mapping.js';
import type { ProfileDraft, ProfileValidationResult, ResolvedLayer } from './profile.model.js';
import { isUniqueViolation, type ProfileRepository, type ProfileWrite, type StoredProfile } from './profile.repository.js';
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

/** The issue code (and `extensions.reason`) of a change to a stored profile version. */
export const PROFILE_VERSION_IMMUTABLE = 'PROFILE_VERSION_IMMUTABLE';

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
   * A stored version is immutable: the same name, version and content again is a no-op that answers
   * the stored version (idempotent apply, see profile.canonical.ts); other content is refused
   * (CONFLICT, issue PROFILE_VERSION_IMMUTABLE naming the first field that differs).
   */
  async create(actor: Principal, loaders: CatalogLoaders, input: ProfileInputData): Promise<SavedProfile> {
    assertRole(actor, 'PUBLISHER');
    checkProfileInput(input);
    const version = input.version?.trim() || DEFAULT_PROFILE_VERSION;
    const write = writeOf(input, version);
    const existing = await this.repository.find(input.name, version);
    if (existing) return this.unchanged(actor, loaders, existing, write);
    const validation = await this.validateDraft(actor, loaders, { ...input, version });
    if (!validation.valid) throw refusalOf(input, version, validation);
    try {
      return { profile: await this.repository.create(write, actor.name, profileOwnerOf(actor)), validation };
    } catch (error) {
      // Two applies of one version at once: the loser answers as if it came second.
      const raced = isUniqueViolation(error) ? await this.repository.find(input.name, version) : null;
      if (raced) return this.unchanged(actor, loaders, raced, write);
      throw error;
    }
  }

  /**
   * Profile versions are immutable: `input` must be the content of `name`@`version` (then this is a
   * no-op answering it, as an idempotent apply); any difference, a rename or another version
   * included, is refused with PROFILE_VERSION_IMMUTABLE (create a new version, or cloneProfile).
   * ADMIN, or a PUBLISHER of the owning team (checked first: others learn nothing of the content).
   */
  async update(actor: Principal, loaders: CatalogLoaders, name: string, version: string, input: ProfileInputData): Promise<SavedProfile> {
    assertRole(actor, 'PUBLISHER');
    checkProfileInput(input);
    const existing = await this.repository.find(name, version);
    if (!existing) throw new NotFoundError(`Profile "${name}" ${version} does not exist.`);
    assertCanChangeProfile(actor, existing);
    return this.unchanged(actor, loaders, existing, writeOf(input, input.version?.trim() || version));
  }

  /**
   * The next version of a profile with the same content: `name`@`newVersion`, validated against
   * today's catalog like a new profile. Cloning continues the owner's line, so it takes what changing
   * the source takes (ADMIN, or a PUBLISHER of its owner) and the clone keeps the source's owner.
   * A clone that exists already with the same content is answered as it is (idempotent).
   */
  async clone(actor: Principal, loaders: CatalogLoaders, name: string, version: string, newVersion: string): Promise<SavedProfile> {
    assertRole(actor, 'PUBLISHER');
    const source = await this.repository.find(name, version);
    if (!source) throw new NotFoundError(`Profile "${name}" ${version} does not exist.`);
    assertCanChangeProfile(actor, source);
    const target = newVersion.trim();
    const draft = { ...draftOf(source), description: source.description, version: target };
    if (!target || target.length > PROFILE_LIMITS.maxReferenceLength) {
      throw new InvalidInputError(`newVersion must be 1-${PROFILE_LIMITS.maxReferenceLength} characters.`, { field: 'newVersion' });
    }
    const write = writeOf(draft, target);
    const existing = await this.repository.find(name, target);
    if (existing) return this.unchanged(actor, loaders, existing, write, 'newVersion');
    const validation = await this.validateDraft(actor, loaders, draft);
    if (!validation.valid) throw refusalOf(draft, target, validation);
    try {
      return { profile: await this.repository.create(write, actor.name, source.owner ?? profileOwnerOf(actor)), validation };
    } catch (error) {
      const raced = isUniqueViolation(error) ? await this.repository.find(name, target) : null;
      if (raced) return this.unchanged(actor, loaders, raced, write, 'newVersion');
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
   * The saved profile versions with a layer that resolves today to `packName`@`version` (in
   * `registry` when given), so a publisher sees who a deprecation hits. A layer's reference may be a
   * tag, a parent tag or `latest`: every layer of that pack is resolved like validation resolves it
   * (one batch, the caller's read scope), and kept when it lands on this version. By name, newest first.
   */
  async impact(actor: Principal, loaders: CatalogLoaders, packName: string, version: string, registry?: string | null): Promise<StoredProfile[]> {
    assertCanRead(actor, this.policy);
    const candidates = await this.repository.usingPack(packName);
    const layers = candidates.flatMap((profile) =>
      profile.layers.filter((l) => l.packName === packName).map((l) => ({ profile, reference: { pack: l.packName, version: l.versionRef, registry: l.registryName } })),
    );
    const resolved = await this.resolveLayers(loaders, layers.map((l) => l.reference), actor);
    const hit = new Set(
      layers
        .filter((_, i) => {
          const r = resolved[i];
          return r.status === 'OK' && r.version === version && (!registry || r.registry === registry);
        })
        .map((l) => l.profile.id),
    );
    return candidates.filter((p) => hit.has(p.id)).sort(compareProfileKeys);
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

  /** `stored` answered as it is when `write` is its content; otherwise the immutability refusal. */
  private async unchanged(actor: Principal, loaders: CatalogLoaders, stored: StoredProfile, write: ProfileWrite, argument = 'input'): Promise<SavedProfile> {
    const field = firstContentDifference(canonicalOfStored(stored), write, argument);
    if (field === null) return { profile: stored, validation: await this.validateDraft(actor, loaders, draftOf(stored)) };
    const message =
      `Profile "${stored.name}" ${stored.version} is published and immutable: ${field} differs from the stored version. ` +
      `Create a new version (another version in the input), or cloneProfile(name: "${stored.name}", version: "${stored.version}", newVersion: ...) and change that.`;
    throw new ConflictError(message, {
      reason: PROFILE_VERSION_IMMUTABLE,
      field,
      issues: [{ code: PROFILE_VERSION_IMMUTABLE, severity: 'ERROR', path: field, message }],
    });
  }
}
